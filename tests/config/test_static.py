"""Static files the hashed storage can process: every source map a file names is shipped beside it.

ManifestStaticFilesStorage rewrites each ``sourceMappingURL`` comment to the map's hashed name, so
one naming a missing map aborts ``collectstatic`` and every page then answers 500 under the
production settings (tests/config/test_production_serving.py runs the whole thing). This finds the
file at fault at once; ``bin/vendor-js`` vendors npm files without those comments.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_MAP = re.compile(rb"^\s*(?://|/\*)[#@] sourceMappingURL=(?P<url>[^\s*]+)", re.M)


def test_every_named_source_map_exists():
    """No JS or CSS file under static/ names a source map that is not there."""
    missing = []
    for path in sorted((ROOT / "static").rglob("*")):
        if path.suffix not in {".js", ".css", ".mjs"} or not path.is_file():
            continue
        for match in SOURCE_MAP.finditer(path.read_bytes()):
            url = match.group("url").decode()
            if not url.startswith("data:") and not (path.parent / url.split("?")[0]).is_file():
                missing.append(f"{path.relative_to(ROOT)} -> {url}")
    assert missing == [], "strip the comment (bin/vendor-js does) or ship the map"


def test_vendored_packages_carry_their_licence_and_version():
    """Each folder of static/vendor/ holds the package's LICENSE and a VERSION line naming npm."""
    for folder in sorted(p for p in (ROOT / "static" / "vendor").iterdir() if p.is_dir()):
        assert (folder / "LICENSE").is_file(), folder.name
        assert "from npm" in (folder / "VERSION").read_text(), folder.name
