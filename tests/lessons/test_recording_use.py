""""Use in a lesson": a trainer adds their recording to one of their modules' lessons, as a draft."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from accounts.groups import TRAINERS
from accounts.services import user_create
from media_pipeline import get_media_model
from media_pipeline.models import MediaStatus
from tests.courses.factories import lessons_of, make_course
from tests.factories import UserFactory
from vocabulary.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(homes):
    trainer = user_create(email="t@example.ma", password="x-long-pass-2026", full_name="كريم", groups=(TRAINERS,),
                          is_staff=True, welcome=False)
    trainer.user_permissions.add(Permission.objects.get(codename="add_mediaasset"))
    module = make_course(slug="mine", lessons=2)
    module.trainers.add(Person.objects.create(name_fr="Karim", user=trainer))
    module.save()
    other = make_course(slug="not-mine", lessons=1)
    recording = get_media_model().objects.create(
        title="ورشة", file="media_pipeline/originals/x.mp4", type="video", duration=60,
        uploaded_by_user=trainer, status=MediaStatus.READY,
    )
    client = Client()
    client.force_login(trainer)
    return {"client": client, "module": module, "other": other, "recording": recording}


def test_the_choice_lists_only_the_trainers_modules(setup):
    """The page lists the lessons of the trainer's module, not another module's."""
    html = setup["client"].get(f"/learn/use-recording/{setup['recording'].pk}/").content.decode()
    for lesson in lessons_of(setup["module"]):
        assert f'value="{lesson.pk}"' in html
    for lesson in lessons_of(setup["other"]):
        assert f'value="{lesson.pk}"' not in html


def test_adding_the_recording_makes_a_draft_and_opens_the_editor(setup):
    """The recording is appended to the lesson's latest revision (the live page is unchanged) and
    the trainer continues in the lesson's editor; adding it twice is refused."""
    lesson = lessons_of(setup["module"])[1]
    url = f"/learn/use-recording/{setup['recording'].pk}/"
    response = setup["client"].post(url, {"lesson": lesson.pk})
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{lesson.pk}/edit/"
    lesson.refresh_from_db()
    draft = lesson.get_latest_revision_as_object()
    videos = [b for b in draft.body.raw_data if b["type"] == "video"]
    assert [v["value"]["recording"] for v in videos] == [setup["recording"].pk]
    assert not any(b["type"] == "video" for b in lesson.body.raw_data)
    assert lesson.has_unpublished_changes
    again = setup["client"].post(url, {"lesson": lesson.pk})
    assert again.status_code == 400


def test_another_modules_lesson_or_a_strangers_recording_is_refused(setup):
    """A lesson outside the trainer's modules, or an absurd id, is an error and nothing is written;
    a learner cannot use a trainer's recording."""
    foreign = lessons_of(setup["other"])[0]
    url = f"/learn/use-recording/{setup['recording'].pk}/"
    for value in (foreign.pk, "٣", "99999999999999999999", ""):
        assert setup["client"].post(url, {"lesson": value}).status_code == 400
    foreign.refresh_from_db()
    assert foreign.get_latest_revision() is None or not foreign.has_unpublished_changes
    learner = Client()
    learner.force_login(UserFactory())
    assert learner.get(url).status_code == 404
