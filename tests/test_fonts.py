"""The web fonts: small subsets preloaded by language, the full files only for rare characters."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "static" / "fonts"
CSS = (ROOT / "static" / "css" / "takwin.css").read_text()
FACES = re.findall(r"@font-face \{([^}]*)\}", CSS)


def _ranges(text: str) -> set[int]:
    points = set()
    for part in text.split(","):
        low, _, high = part.strip().removeprefix("U+").partition("-")
        points.update(range(int(low, 16), int(high or low, 16) + 1))
    return points


def _faces() -> list[dict]:
    faces = []
    for body in FACES:
        faces.append(
            {
                "family": re.search(r'font-family: "([^"]+)"', body).group(1),
                "weight": re.search(r"font-weight: (\d+)", body).group(1),
                "file": re.search(r'url\("\.\./fonts/([^"]+)"\)', body).group(1),
                "range": _ranges(re.search(r"unicode-range: ([^;]+);", body).group(1)),
                "swap": "font-display: swap" in body,
            }
        )
    return faces


def test_subsets_are_what_the_script_makes():
    """The committed subsets and @font-face rules are exactly what bin/subset-fonts writes now."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "bin" / "subset-fonts"), "--check"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_face_exists_swaps_and_no_character_needs_two_files():
    """Each face names a committed file, shows text at once (swap), and no character belongs to two
    faces of one family and weight: a page never downloads the full file for a common letter."""
    faces = _faces()
    assert len(faces) >= 6
    seen: dict[tuple[str, str], set[int]] = {}
    for face in faces:
        assert (FONTS / face["file"]).is_file(), face["file"]
        assert face["swap"], face["file"]
        key = (face["family"], face["weight"])
        assert not seen.get(key, set()) & face["range"], face["file"]
        seen.setdefault(key, set()).update(face["range"])


@pytest.mark.parametrize(
    ("family", "text"),
    [
        ("Noto Sans Arabic", "شهادة إتمام الدورة التكوينية: الجماعة، الميزانية؟ ڭ ڤ پ ی ١٢٣ مُحَمَّد لا"),
        ("Inter", "Conseil communal : budget, « élus » — œuvre, façade, 2026 € Ça ÀÉÈÊËÎÏÔÙÛÜ"),
    ],
)
def test_core_subsets_cover_the_language_and_stay_small(family, text):
    """The core subset of each family has a glyph for every character of ordinary text in its
    language (Moroccan letters and harakat included) and weighs under 20 KB per weight."""
    cores = [face for face in _faces() if face["family"] == family and "-core-" in face["file"]]
    assert {face["weight"] for face in cores} == {"400", "700"}
    for face in cores:
        path = FONTS / face["file"]
        assert path.stat().st_size < 20 * 1024
        cmap = TTFont(path).getBestCmap()
        needed = {ord(c) for c in text if not (family == "Noto Sans Arabic" and c.isascii() and c != " ")}
        missing = {chr(c) for c in needed if c not in cmap}
        assert not missing, (face["file"], missing)
        assert needed <= face["range"], (face["file"], {chr(c) for c in needed - face["range"]})


def test_core_subsets_keep_arabic_joining():
    """The Arabic subset keeps its shaping tables: initial, medial and final forms and lam-alef."""
    font = TTFont(FONTS / "noto-sans-arabic-core-400.woff2")
    features = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
    assert {"init", "medi", "fina", "rlig"} <= features
    assert "GPOS" in font  # harakat placed on their letters


def test_base_preloads_the_core_subset_of_the_page_language(client, demo_site):
    """An Arabic page preloads the Arabic core subset, a French page Inter's, and nothing else."""
    ar = client.get("/").content.decode()
    fr = client.get("/fr/").content.decode()
    assert re.findall(r'rel="preload" href="[^"]*/fonts/([a-z-]+-core-400)', ar) == ["noto-sans-arabic-core-400"]
    assert re.findall(r'rel="preload" href="[^"]*/fonts/([a-z-]+-core-400)', fr) == ["inter-core-400"]
    assert ar.count('rel="preload"') == fr.count('rel="preload"') == 1
