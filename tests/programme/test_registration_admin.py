"""The programme's admin screens: sessions (with half-days, quotas and modules inline), status actions
through the services, registrations per session, and the "Programme" group's permissions."""

import pytest
from django.contrib.auth.models import Group

from programme.models import Registration, SessionStatus
from programme.roles import PROGRAMME, is_programme_staff
from programme.services.registration import register
from tests.factories import UserFactory


@pytest.fixture
def programme_staff(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=PROGRAMME))
    return user


def test_programme_group_exists_with_its_permissions(programme_staff):
    """The migration's group may use the admin and manage sessions and registrations."""
    assert programme_staff.has_perm("wagtailadmin.access_admin")
    assert programme_staff.has_perm("programme.change_session") and programme_staff.has_perm("programme.view_registration")
    assert is_programme_staff(programme_staff)
    assert not is_programme_staff(UserFactory())


def test_sessions_listing_edit_and_registrations_per_session(client, programme_staff, session, official):
    """Staff list sessions, open one's edit form (inline half-days) and its registrations."""
    register(session=session, user=official)
    client.force_login(programme_staff)
    listing = client.get("/admin/programme/sessions/")
    assert listing.status_code == 200 and session.code.encode() in listing.content
    edit = client.get(f"/admin/programme/sessions/edit/{session.pk}/")
    assert edit.status_code == 200 and b"half_days-TOTAL_FORMS" in edit.content
    registrations = client.get(f"/admin/programme/registrations/?session={session.pk}")
    assert registrations.status_code == 200 and official.full_name.encode() in registrations.content


def test_learners_do_not_see_attendees(client, session, official):
    """Personal data: someone outside the Programme group gets no registration listing."""
    register(session=session, user=official)
    client.force_login(UserFactory(is_staff=True))
    response = client.get(f"/admin/programme/registrations/?session={session.pk}")
    assert response.status_code in (302, 403)


def test_status_actions_go_through_the_services(client, programme_staff, session):
    """Cancelling without a reason shows the error; with one, the session is cancelled."""
    client.force_login(programme_staff)
    url = f"/admin/programme/sessions/status/{session.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "cancel", "reason": ""})
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN
    client.post(url, {"action": "cancel", "reason": "Report"})
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.cancel_reason == "Report"


def test_staff_cancel_promotes_the_waiting_list(client, programme_staff, session):
    """The admin's cancel action frees the place for the first waiting."""
    regs = [register(session=session, user=UserFactory(category="elected")) for _ in range(4)]
    client.force_login(programme_staff)
    client.post(f"/admin/programme/registrations/cancel/{regs[0].pk}/")
    regs[3].refresh_from_db()
    assert regs[3].status == Registration.Status.CONFIRMED


def test_edit_cannot_lower_capacity_below_confirmed(client, programme_staff, session):
    """The edit form refuses fewer places than confirmed registrations."""
    for _ in range(2):
        register(session=session, user=UserFactory(category="elected"))
    client.force_login(programme_staff)
    url = f"/admin/programme/sessions/edit/{session.pk}/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not hasattr(v, "all")}
    data.update({
        "code": session.code, "capacity": 1, "audience": session.audience,
        "half_days-TOTAL_FORMS": 0, "half_days-INITIAL_FORMS": 0, "quotas-TOTAL_FORMS": 0, "quotas-INITIAL_FORMS": 0,
        "modules-TOTAL_FORMS": 0, "modules-INITIAL_FORMS": 0,
    })
    data.pop("registration_opens_at", None), data.pop("registration_deadline", None)
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with its error
    session.refresh_from_db()
    assert session.capacity == 3
