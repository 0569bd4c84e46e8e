"""The text of caption tracks, for search (media_pipeline.selectors.caption_text)."""

import pytest

from media_pipeline import services
from media_pipeline.selectors import caption_text, recordings_caption_text, vtt_text
from tests.search.documents import make_recording

VTT = """WEBVTT
Kind: captions
Language: ar

NOTE Made by hand
for the test

STYLE
::cue { color: yellow }

intro
00:00:00.000 --> 00:00:02.500 align:start position:10% line:90%
<v المؤطر>مرحبا بكم في <b>ورشة</b> الميزانية</v>

00:00:02.500 --> 00:00:05.000
مرحبا بكم في ورشة الميزانية
<c.yellow>الجماعية</c> &amp; التشاركية

00:05.000 --> 00:07.000
<00:05.500>Merci
"""


def test_vtt_text_keeps_only_spoken_text():
    """Header, NOTE and STYLE blocks, cue ids, timings, cue settings and tags are gone;
    entities are decoded; a line repeated by the next cue (roll-up) is kept once."""
    assert vtt_text(VTT) == "مرحبا بكم في ورشة الميزانية\nالجماعية & التشاركية\nMerci"


def test_vtt_text_reads_srt_and_crlf():
    """SubRip numbering and comma decimals, Windows line ends and a BOM are handled."""
    srt = "\ufeff1\r\n00:00:00,000 --> 00:00:01,500\r\nBonjour à tous\r\n\r\n2\r\n00:00:01,500 --> 00:00:03,000\r\nLe budget\r\n"
    assert vtt_text(srt) == "Bonjour à tous\nLe budget"


@pytest.mark.django_db
def test_caption_text_puts_the_language_first():
    """All tracks are read, the requested language's first; recordings without captions are left out."""
    asset = make_recording("Atelier")
    services.caption_set(asset=asset, language="fr", label="Français", content=b"1\n00:00:00,000 --> 00:00:01,000\nBonjour\n")
    services.caption_set(asset=asset, language="ar", label="العربية", content="WEBVTT\n\n00:00.000 --> 00:01.000\nمرحبا\n".encode())
    assert caption_text(asset, "ar") == "مرحبا\nBonjour"
    assert caption_text(asset, "fr") == "Bonjour\nمرحبا"
    silent = make_recording("Sans sous-titres")
    assert recordings_caption_text([silent.pk, asset.pk, asset.pk], language="fr") == [("Atelier", "Bonjour\nمرحبا")]


@pytest.mark.django_db
def test_caption_set_signals_after_commit(django_capture_on_commit_callbacks):
    """captions_changed is sent with the recording once the caption's transaction commits."""
    from media_pipeline.signals import captions_changed

    received = []

    def listener(sender, asset, **kwargs):
        received.append(asset.pk)

    captions_changed.connect(listener)
    try:
        asset = make_recording()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.caption_set(asset=asset, language="fr", label="Français", content=b"1\n00:00:00,000 --> 00:00:01,000\nSalut\n")
        assert received == []
        for callback in callbacks:
            callback()
        assert received == [asset.pk]
    finally:
        captions_changed.disconnect(listener)
