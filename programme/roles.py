"""The programme's roles: the "Programme" group (created by migration 0002) runs sessions.

Trainers who see their sessions' attendees are progafter's; officials are any signed-in account.
"""

#: Staff who run sessions: the group's name, as the migration creates it.
PROGRAMME = "Programme"


def is_programme_staff(user) -> bool:
    """Whether ``user`` may see attendees' names and contacts and manage registrations (law 09-08)."""
    return bool(user.is_authenticated and user.has_perm("programme.view_registration"))
