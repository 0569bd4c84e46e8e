"""Upload benchmark: a 2 GB file through the tus endpoint of a real web process on loopback.

    .venv/bin/python benchmarks/upload.py [--size-mb 2048] [--chunk-mb 32] [--port 8381]

Starts gunicorn (one sync worker) on a throw-away SQLite database, uploads the file
in tus PATCH chunks, and prints the throughput and the web worker's peak memory
(VmHWM), against a plain file copy of the same bytes measured in the same run.
"""

import argparse
import base64
import http.client
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")


class Slice:
    """A file-like view of ``length`` bytes from ``offset`` (http.client streams it in blocks)."""

    def __init__(self, fh, offset: int, length: int):
        self.fh, self.left = fh, length
        fh.seek(offset)

    def read(self, n: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        n = self.left if n < 0 else min(n, self.left)
        data = self.fh.read(n)
        self.left -= len(data)
        return data


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=2048)
    parser.add_argument("--chunk-mb", type=int, default=32)
    parser.add_argument("--port", type=int, default=8381)
    args = parser.parse_args()
    size = args.size_mb * 1024 * 1024
    chunk = args.chunk_mb * 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="takwin-upload-bench-") as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DJANGO_DEBUG": "false",
               "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "DJANGO_MEDIA_ROOT": str(tmp / "media"),
               "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "MEDIA_PIPELINE_BENCH": "1"}
        print("migrating a throw-away database ...", flush=True)
        subprocess.run([PY, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        session = subprocess.run([PY, "manage.py", "shell", "-c", (
            "from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, SESSION_KEY, HASH_SESSION_KEY\n"
            "from django.contrib.auth.models import Permission\n"
            "from django.contrib.sessions.backends.db import SessionStore\n"
            "u = get_user_model().objects.create_user(email='bench@example.ma', password='x-bench-pass-123')\n"
            "u.user_permissions.add(Permission.objects.get(codename='add_mediaasset'))\n"
            "s = SessionStore(); s[SESSION_KEY] = str(u.pk)\n"
            "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
            "s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create(); print(s.session_key)\n"
        )], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        source = tmp / "recording.mp4"
        with open(source, "wb") as fh:  # random bytes: nothing compresses or short-circuits
            block = os.urandom(8 * 1024 * 1024)
            for _ in range(size // len(block)):
                fh.write(block)
            fh.write(block[: size % len(block)])
        copy_start = time.monotonic()
        with open(source, "rb") as src, open(tmp / "copy.bin", "wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
            os.fsync(dst.fileno())
        copy_seconds = time.monotonic() - copy_start
        (tmp / "copy.bin").unlink()
        log = tmp / "gunicorn.log"
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{args.port}", "-w", "1",
             "--timeout", "600"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
        try:
            for _ in range(200):
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
                    conn.request("OPTIONS", "/media-pipeline/tus/")
                    conn.getresponse().read()
                    break
                except OSError:
                    time.sleep(0.1)
            worker = children(server.pid)[0]
            rss_idle = status_kb(worker, "VmRSS")
            csrf = secrets.token_hex(16)
            headers = {"Tus-Resumable": "1.0.0", "Cookie": f"sessionid={session}; csrftoken={csrf}",
                       "X-CSRFToken": csrf}
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=600, blocksize=1024 * 1024)
            meta = f"filename {base64.b64encode(b'recording.mp4').decode()}"
            conn.request("POST", "/media-pipeline/tus/", headers={**headers, "Upload-Length": str(size),
                                                                  "Upload-Metadata": meta})
            response = conn.getresponse()
            response.read()
            assert response.status == 201, (response.status, response.reason)
            location = response.getheader("Location").replace(f"http://127.0.0.1:{args.port}", "")
            start = time.monotonic()
            offset = 0
            with open(source, "rb") as fh:
                while offset < size:
                    length = min(chunk, size - offset)
                    conn.request("PATCH", location, body=Slice(fh, offset, length), headers={
                        **headers, "Upload-Offset": str(offset), "Content-Length": str(length),
                        "Content-Type": "application/offset+octet-stream"})
                    response = conn.getresponse()
                    response.read()
                    assert response.status == 204, (response.status, response.reason)
                    offset = int(response.getheader("Upload-Offset"))
            seconds = time.monotonic() - start
            peak = status_kb(worker, "VmHWM")
            # Originals are protected files: they live beside the media folder, not in it.
            stored = [*(tmp / "protected").rglob("*recording*.mp4"), *(tmp / "media").rglob("*recording*.mp4")]
            assert stored and stored[0].stat().st_size == size, "the upload did not arrive whole"
        except AssertionError:
            print(log.read_text()[-3000:], file=sys.stderr)
            raise
        finally:
            server.terminate()
            server.wait(timeout=20)
        mb = size / 1024 / 1024
        print(f"file: {mb:.0f} MiB in {args.chunk_mb} MiB chunks ({(size + chunk - 1) // chunk} PATCH requests)")
        print(f"tus upload over loopback: {seconds:.2f} s = {mb / seconds:.0f} MiB/s")
        print(f"baseline file copy:       {copy_seconds:.2f} s = {mb / copy_seconds:.0f} MiB/s")
        print(f"upload / copy time ratio: {seconds / copy_seconds:.2f}")
        print(f"web worker memory: idle {rss_idle / 1024:.0f} MB, peak (VmHWM) {peak / 1024:.0f} MB (goal < 150 MB)")
        print(f"stored original: {stored[0].relative_to(tmp)}")


if __name__ == "__main__":
    sys.exit(main())
