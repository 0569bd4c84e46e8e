"""Where pipeline files live, and file moves between local folders and that storage.

Protected files (every recording's original, encodes and captions, and Wagtail's
documents, some of which are lessons' videos) never live where a public URL reaches
them. One storage holds both kinds and routes by name, so the models' file fields
(wagtailmedia's and Wagtail's, on the default storage) need no change:

- on local disk, names under ``PROTECTED_MEDIA_PREFIXES`` are kept in
  ``PROTECTED_MEDIA_ROOT``, outside ``MEDIA_ROOT`` (which nginx serves at ``/media/``);
  they are sent only by views that check access (nginx's ``internal`` location
  ``/_protected/`` when ``MEDIA_PIPELINE_ACCEL_REDIRECT`` is set);
- on S3, those objects are stored with a private ACL and their URLs are always signed
  (presigned GETs, or CloudFront signed URLs when a CDN domain and key are set).
"""

import contextlib
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.utils._os import safe_join
from django.utils.encoding import filepath_to_uri

#: Name prefixes that are protected, with the permission that lets staff download them
#: outside playback (the admin's links to an original or a document file).
DEFAULT_PROTECTED_PREFIXES = {
    "media_pipeline/": "media_pipeline.change_mediaasset",
    "documents/": "wagtaildocs.change_document",
}


def protected_prefixes() -> dict[str, str]:
    """``PROTECTED_MEDIA_PREFIXES`` from the settings, or the defaults above."""
    return getattr(settings, "PROTECTED_MEDIA_PREFIXES", None) or DEFAULT_PROTECTED_PREFIXES


def protected_permission(name: str) -> str | None:
    """The permission guarding ``name``, or None when the name is public."""
    clean = str(name).replace("\\", "/").lstrip("/")
    return next((perm for prefix, perm in protected_prefixes().items() if clean.startswith(prefix)), None)


def is_protected(name: str) -> bool:
    return protected_permission(name) is not None


def protected_root() -> Path:
    """``PROTECTED_MEDIA_ROOT``, by default a ``protected`` folder beside ``MEDIA_ROOT``."""
    configured = getattr(settings, "PROTECTED_MEDIA_ROOT", "")
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).resolve().parent / "protected"


class ProtectedFileSystemStorage(FileSystemStorage):
    """``MEDIA_ROOT`` for public files, ``PROTECTED_MEDIA_ROOT`` for protected names.

    Every file operation of :class:`FileSystemStorage` goes through :meth:`path`, so
    routing there is enough. A protected name's URL is the staff download view (never
    a ``/media/`` address): wagtailmedia's admin links to originals keep working for
    editors and answer 404 to anyone else.
    """

    def path(self, name):
        if is_protected(name):
            return safe_join(str(protected_root()), name)
        return super().path(name)

    def _save(self, name, content):
        # Django's storage gives a new file MEDIA_ROOT's group, so MEDIA_ROOT must exist even
        # when the file goes to the protected folder (a fresh machine's first upload did not).
        os.makedirs(self.location, exist_ok=True)
        saved = super()._save(name, content)
        if not is_protected(name):
            return saved
        # FileSystemStorage names the file relative to MEDIA_ROOT: give the name back.
        full = os.path.normpath(os.path.join(self.location, saved))
        return os.path.relpath(full, protected_root()).replace(os.sep, "/")

    def url(self, name):
        if is_protected(name):
            from django.urls import reverse

            # reverse() quotes the name itself (Arabic file names included).
            return reverse("media_pipeline:protected_file", args=[str(name).replace("\\", "/").lstrip("/")])
        return super().url(name)


try:
    from storages.backends.s3 import S3Storage
except ImportError:  # pragma: no cover - django-storages is in requirements.txt
    S3Storage = None

if S3Storage is not None:

    class ProtectedS3Storage(S3Storage):
        """S3 where protected objects get a private ACL and only signed URLs.

        Public names follow the storage's settings (``querystring_auth``, a public CDN
        domain); protected ones are presigned for ``expire`` seconds, or signed for
        CloudFront when ``custom_domain`` and a CloudFront key are configured, whatever
        those settings say: a bucket policy or a CDN can then never expose them by
        accident of configuration.
        """

        def get_object_parameters(self, name):
            params = super().get_object_parameters(name)
            if is_protected(name):
                params["ACL"] = "private"
            return params

        def url(self, name, parameters=None, expire=None, http_method=None):
            if not is_protected(name):
                return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
            from storages.utils import clean_name

            key = self._normalize_name(clean_name(name))
            expire = int(expire or self.querystring_expire)
            if self.custom_domain and self.cloudfront_signer:
                url = f"{self.url_protocol}//{self.custom_domain}/{filepath_to_uri(key)}"
                until = datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=expire)
                return self.cloudfront_signer.generate_presigned_url(url, date_less_than=until)
            params = {**(parameters or {}), "Bucket": self.bucket.name, "Key": key}
            return self.connection.meta.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=expire, HttpMethod=http_method
            )


def bucket_cors_rules(origins: list[str]) -> list[dict]:
    """The bucket's CORS rule for the site's ``origins``: GET and HEAD only, any request header
    (a player's ``Range``), the headers a player and the offline store read exposed. Browsers
    need it to read a file from the bucket in script: hls.js's segments, and a lesson's files
    stored for offline use (``lessons.offline``). The objects stay private: a rule lets a page
    of these origins read what its signed link already grants, nothing more."""
    return [{
        "ID": "takwin-read",
        "AllowedOrigins": list(origins),
        "AllowedMethods": ["GET", "HEAD"],
        "AllowedHeaders": ["*"],
        "ExposeHeaders": ["Content-Length", "Content-Range", "Content-Type", "Accept-Ranges", "ETag"],
        "MaxAgeSeconds": 86400,
    }]


def bucket_cors_set(origins: list[str]) -> list[dict]:
    """Write :func:`bucket_cors_rules` as the bucket's CORS configuration (replacing any other
    rule) and return it. Raises ValueError on local disk or without an origin."""
    if is_local():
        raise ValueError("files are on local disk: no bucket to configure")
    clean = [origin.rstrip("/") for origin in origins if origin.strip()]
    if not clean:
        raise ValueError("give at least one origin, such as https://takwin.example.ma")
    rules = bucket_cors_rules(clean)
    store = storage()
    store.connection.meta.client.put_bucket_cors(Bucket=store.bucket_name, CORSConfiguration={"CORSRules": rules})
    return rules


def storage() -> Storage:
    """The storage every pipeline file goes through (Django's default storage)."""
    return default_storage


def is_local() -> bool:
    """True when the storage keeps files on this machine's disk (it has paths)."""
    try:
        storage().path("media_pipeline/probe")
    except NotImplementedError:
        return False
    return True


@contextlib.contextmanager
def local_copy(name: str, folder: str | Path):
    """A local path for a stored file: the file itself on disk storage, a streamed copy otherwise."""
    store = storage()
    try:
        path = store.path(name)
    except NotImplementedError:
        path = None
    if path and os.path.exists(path):
        yield path
        return
    target = Path(folder) / ("source" + Path(name).suffix.lower()[:8])
    with store.open(name, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 8 * 1024 * 1024)
    try:
        yield str(target)
    finally:
        target.unlink(missing_ok=True)


def put(local: Path, name: str) -> str:
    """Store a local file under exactly ``name`` (encodes use fresh prefixes, so it is free)."""
    store = storage()
    with open(local, "rb") as fh:
        saved = store.save(name, File(fh, name=os.path.basename(name)))
    if saved != name:
        # Playlists refer to their neighbours by relative name: a renamed object breaks them.
        store.delete(saved)
        raise OSError(f"storage renamed {name} to {saved}")
    return saved


def delete_names(names: list[str]) -> None:
    """Delete stored files, ignoring those already gone."""
    store = storage()
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            store.delete(name)


def list_prefix(prefix: str) -> list[str]:
    """Every stored name under ``prefix``, folders walked."""
    store = storage()
    try:
        folders, files = store.listdir(prefix)
    except (FileNotFoundError, NotImplementedError):
        return []
    base = prefix.rstrip("/")
    names = [f"{base}/{f}" for f in files]
    for folder in folders:
        names += list_prefix(f"{base}/{folder}")
    return names


def delete_prefix(prefix: str) -> None:
    """Delete everything stored under ``prefix`` (a killed encode's partial output)."""
    delete_names(list_prefix(prefix))


def protect_existing(*, dry_run: bool = False) -> dict[str, int]:
    """Move files stored before protection into the protected location; return counts.

    Local disk: every file under a protected prefix in ``MEDIA_ROOT`` moves to
    ``PROTECTED_MEDIA_ROOT`` (same relative name, so the database needs no change); a
    name already present there is left in place and counted as a conflict. S3: every
    object under a protected prefix gets a private ACL. Running it again does nothing.
    """
    store = storage()
    counts = {"moved": 0, "conflicts": 0, "made_private": 0}
    if is_local():
        public, protected = Path(settings.MEDIA_ROOT), protected_root()
        for prefix in protected_prefixes():
            for source in sorted((public / prefix).rglob("*")) if (public / prefix).is_dir() else []:
                if not source.is_file():
                    continue
                target = protected / source.relative_to(public)
                if target.exists():
                    counts["conflicts"] += 1
                    continue
                counts["moved"] += 1
                if not dry_run:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(source, target)
        return counts
    for prefix in protected_prefixes():
        for obj in store.bucket.objects.filter(Prefix=store._normalize_name(prefix)):
            counts["made_private"] += 1
            if not dry_run:
                obj.Acl().put(ACL="private")
    return counts
