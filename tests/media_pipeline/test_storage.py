"""The local storage of protected files on a fresh machine."""

from django.core.files.base import ContentFile

from media_pipeline.storage import ProtectedFileSystemStorage


def test_a_protected_file_is_saved_before_the_media_folder_exists(tmp_path, settings):
    """The first file a fresh deployment stores may be a protected one (an upload's original):
    it is saved under the protected folder although MEDIA_ROOT was never created (Django's
    storage looked up MEDIA_ROOT's group and the upload answered 500)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PROTECTED_MEDIA_ROOT = str(tmp_path / "protected")
    storage = ProtectedFileSystemStorage()
    name = storage.save("media_pipeline/originals/first.mp4", ContentFile(b"\x00" * 16))
    assert name == "media_pipeline/originals/first.mp4"
    assert (tmp_path / "protected" / name).read_bytes() == b"\x00" * 16
    assert not (tmp_path / "media" / name).exists()
