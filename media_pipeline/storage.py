"""File moves between local temporary folders and Django's storage (local disk or S3)."""

import contextlib
import os
import shutil
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage


def storage() -> Storage:
    """The storage every pipeline file goes through (Django's default storage)."""
    return default_storage


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
