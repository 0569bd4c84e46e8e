"""The training-of-trainers cohort: automatic enrolment, the cohort page, completion of the cycle and its
certificate; attendance certificates for a closed session's attendees, verified like module certificates."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.models import Certificate, CertificateKind, CoursePage, Enrolment
from programme.models import Cohort, SessionStatus
from programme.services.closing import session_close
from programme.services.cohorts import cohort_enrol_members, cohort_member_add, cohort_review
from tests.factories import UserFactory
from tests.programme.factories_after import attend, make_session, register
from vocabulary.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(plan):
    """A cohort with two modules (one reserved to groups), three sessions (two held, one planned), rule 2."""
    from tests.courses.factories import make_course

    open_module = make_course(slug="tot-a", lessons=2, revisions=False)
    reserved = make_course(slug="tot-b", lessons=1, revisions=False, enrolment_mode=CoursePage.EnrolmentMode.COHORT)
    cohort = Cohort.objects.create(name_ar="الفوج الأول", name_fr="Première cohorte", year=2026, sessions_required=2)
    cohort.modules.set([open_module, reserved])
    cohort.save()
    trainer_user = UserFactory(full_name="Formatrice")
    trainer = Person.objects.create(name_fr="Formatrice", user=trainer_user)
    sessions = [
        make_session(code="TOT-2026-01", cohort=cohort, trainers=[trainer], month=2),
        make_session(code="TOT-2026-02", cohort=cohort, month=4),
        make_session(code="TOT-2026-03", cohort=cohort, status=SessionStatus.PLANNED, month=9),
    ]
    members = [cohort_member_add(cohort=cohort, user=UserFactory(full_name=f"عضو {n}")) for n in range(3)]
    return {"cohort": cohort, "modules": [open_module, reserved], "sessions": sessions, "members": members,
            "trainer": trainer_user}


def _complete_modules(user, modules):
    Enrolment.objects.filter(user=user, course__in=modules).update(completed_at=timezone.now())


def test_members_are_enrolled_in_the_modules(cohort):
    """Each member is enrolled in both modules, the group-reserved one included; a second add is refused."""
    for member in cohort["members"]:
        assert set(Enrolment.objects.filter(user=member.user, status="active").values_list("course_id", flat=True)) == {
            m.pk for m in cohort["modules"]}
    with pytest.raises(ValidationError):
        cohort_member_add(cohort=cohort["cohort"], user=cohort["members"][0].user)


def test_a_module_added_later_catches_everyone_up(cohort):
    from tests.courses.factories import make_course

    late = make_course(slug="tot-c", lessons=1, revisions=False)
    cohort["cohort"].modules.add(late)
    assert cohort_enrol_members(cohort=cohort["cohort"]) == 9
    assert Enrolment.objects.filter(course=late).count() == 3


def test_completion_needs_the_sessions_and_every_module(cohort):
    """Member 0: two sessions and both modules → completed with a cycle certificate. Member 1: two
    sessions, one module → not yet. Member 2: both modules, one session → not yet."""
    s1, s2, _s3 = cohort["sessions"]
    m0, m1, m2 = (m.user for m in cohort["members"])
    for user in (m0, m1):
        attend(register(s1, user=user))
        attend(register(s2, user=user))
    attend(register(s1, user=m2))
    _complete_modules(m0, cohort["modules"])
    _complete_modules(m1, cohort["modules"][:1])
    _complete_modules(m2, cohort["modules"])

    done = cohort_review(cohort=cohort["cohort"])

    assert [member.user for member in done] == [m0]
    certificate = Certificate.objects.get(kind=CertificateKind.CYCLE)
    assert certificate.user == m0 and certificate.course is None and certificate.course_title == "الفوج الأول"
    assert cohort_review(cohort=cohort["cohort"]) == []  # once
    assert Certificate.objects.filter(kind=CertificateKind.CYCLE).count() == 1


def test_a_module_completed_in_its_other_language_counts(cohort):
    """A member who followed the French translation of a cohort module (the enrolment points at that
    page, with the module's ``course_key``) has completed the module: the rule is met."""
    from tests.courses.factories import make_course

    s1, s2, _s3 = cohort["sessions"]
    member = cohort["members"][0].user
    for session in (s1, s2):
        attend(register(session, user=member))
    open_module, reserved = cohort["modules"]
    french = make_course(slug="tot-a-fr", lessons=1, revisions=False, lang="fr", translation_key=open_module.translation_key)
    Enrolment.objects.filter(user=member, course=open_module).update(course=french)
    _complete_modules(member, [french, reserved])

    assert [m.user for m in cohort_review(cohort=cohort["cohort"])] == [member]


def test_completing_the_last_module_completes_the_cycle(cohort, django_capture_on_commit_callbacks):
    """A member who attended two sessions and finished one module completes the cycle as soon as the
    courses app marks the other module completed (its signal, on commit, queues the cohort's review)."""
    from courses.services import enrolment_complete

    s1, s2, _s3 = cohort["sessions"]
    member = cohort["members"][0]
    for session in (s1, s2):
        attend(register(session, user=member.user))
    open_module, reserved = cohort["modules"]
    _complete_modules(member.user, [open_module])

    with django_capture_on_commit_callbacks(execute=True):
        enrolment_complete(user=member.user, course=reserved)

    member.refresh_from_db()
    assert member.completed_at is not None
    assert Certificate.objects.filter(kind=CertificateKind.CYCLE, user=member.user).count() == 1


def test_the_cycle_certificate_verifies_like_a_module_certificate(cohort, client):
    s1, s2, _s3 = cohort["sessions"]
    user = cohort["members"][0].user
    for session in (s1, s2):
        attend(register(session, user=user))
    _complete_modules(user, cohort["modules"])
    cohort_review(cohort=cohort["cohort"])
    certificate = Certificate.objects.get(kind=CertificateKind.CYCLE)
    response = client.get(reverse("courses:certificate_verify", args=[certificate.code]), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    html = response.content.decode()
    assert "الفوج الأول" in html and user.full_name in html
    client.force_login(user)
    pdf = client.get(reverse("courses:certificate_pdf", args=[certificate.code]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_closing_issues_attendance_certificates(cohort, client):
    """Closing a session gives each attendee with an account a certificate of attendance (absentees
    none), and reviews the cohort; the verification page names the session."""
    s1 = cohort["sessions"][0]
    present, absent = cohort["members"][0].user, cohort["members"][1].user
    attend(register(s1, user=present))
    register(s1, user=absent)
    attend(register(s1, email="walkin@example.ma", source="walk-in"))  # no account: no certificate
    session_close(session=s1)
    certificates = list(Certificate.objects.filter(kind=CertificateKind.ATTENDANCE))
    assert [c.user for c in certificates] == [present]
    assert certificates[0].subject == "TOT-2026-01"
    response = client.get("/fr" + reverse("courses:certificate_verify", args=[certificates[0].code]))
    assert response.status_code == 200 and "Session" in response.content.decode()


def test_the_cohort_page_for_staff_and_trainers(cohort, client, programme_staff):
    """Staff and the cohort's trainer see 3 members with attendance and progress; a member gets 403."""
    s1 = cohort["sessions"][0]
    member = cohort["members"][0].user
    attend(register(s1, user=member))
    url = reverse("programme:cohort", args=[cohort["cohort"].pk])
    for user in (programme_staff, cohort["trainer"]):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="cohort-members">3<' in html and member.full_name in html
        assert "cell--present" in html and "cell--absent" in html
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(reverse("programme:cohort_review", args=[cohort["cohort"].pk])).status_code == 403


def test_the_cohort_page_queries_do_not_grow_with_members(cohort, client, programme_staff):
    """Programme staff read the cohort page in ≤ 15 queries, header and Wagtail's user bar included,
    the same number with 3 members and with 8."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(programme_staff)
    url = reverse("programme:cohort", args=[cohort["cohort"].pk])
    client.get(url)  # the first admin-user request creates Wagtail's user profile (one-time writes)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _n in range(5):
        cohort_member_add(cohort=cohort["cohort"], user=UserFactory())
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries) <= 15
