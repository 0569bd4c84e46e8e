"""Player preferences kept per learner on the server."""

import json

import pytest

from media_pipeline.models import PlayerPreference
from media_pipeline.selectors import player_preferences
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/media-pipeline/preferences/"


def _post(client, data, prefix=""):
    return client.post(prefix + URL, data=json.dumps(data), content_type="application/json")


def test_learner_choices_are_saved_and_read_back(client):
    """Quality, speed and captions posted by the player are stored once per learner and merged field by field."""
    user = UserFactory()
    client.force_login(user)
    assert player_preferences(user) is None
    assert _post(client, {"quality": "audio"}).status_code == 200
    assert _post(client, {"speed": "1.5"}).json() == {"quality": "audio", "speed": "1.5", "captions": ""}
    assert _post(client, {"captions": "fr", "quality": "360"}).status_code == 200
    assert PlayerPreference.objects.filter(user=user).count() == 1
    assert player_preferences(user) == {"quality": "360", "speed": "1.5", "captions": "fr"}
    assert player_preferences(UserFactory()) is None


@pytest.mark.parametrize("language, message", [("ar", "هذه السرعة غير متاحة."), ("fr", "Cette vitesse n’est pas proposée.")])
def test_values_the_player_does_not_offer_are_refused_in_the_users_language(client, language, message):
    """An unknown speed, quality or language is refused with a translated message and nothing is saved."""
    user = UserFactory()
    client.force_login(user)
    response = _post(client, {"speed": "9", "quality": "auto"}, prefix="/fr" if language == "fr" else "")
    assert response.status_code == 400
    assert response.json()["errors"]["speed"] == [message]
    assert not PlayerPreference.objects.filter(user=user).exists()
    for bad in ({"quality": "4k"}, {"captions": "<script>"}, {"quality": "50"}):
        assert _post(client, bad).status_code == 400
    assert client.post(URL, data="not json", content_type="application/json").status_code == 400
    assert client.post(URL, data="[1]", content_type="application/json").status_code == 400


def test_anonymous_visitors_and_get_requests_are_refused(client):
    """Only a signed-in learner saves preferences, and only by POST."""
    assert _post(client, {"quality": "audio"}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 405
    assert not PlayerPreference.objects.exists()
