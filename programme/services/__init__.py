"""The programme's write operations, one module per area of a session's life.

- ``sessions``: plan pages and sessions (create, open, cancel, mark held, capacity);
- ``registration``: registering, the waiting list and its promotions, cancelling;
- ``emails``: the registration e-mails and the day-before reminders (sent by ``programme.tasks``);
- ``imports``: staff's spreadsheet import of people who have no account.

Every function is keyword-only, validates with ``full_clean()`` and runs in one transaction; the
decisions about places lock the ``Session`` row (``select_for_update``) so that two registrations
cannot take the same last place.
"""
