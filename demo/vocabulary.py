"""Demo vocabulary: the seat commune of each of the region's eight prefectures and provinces.

Only the seats: the full list of the region's communes is the institution's to enter (admin,
Vocabulary → Communes), not the demo's to invent.
"""

from vocabulary.models import Commune
from vocabulary.regions import Province
from vocabulary.services import commune_ensure

# province, Arabic name, French name
SEATS = [
    (Province.MARRAKECH, "مراكش", "Marrakech"),
    (Province.AL_HAOUZ, "تحناوت", "Tahannaout"),
    (Province.CHICHAOUA, "شيشاوة", "Chichaoua"),
    (Province.EL_KELAA, "قلعة السراغنة", "El Kelaâ des Sraghna"),
    (Province.ESSAOUIRA, "الصويرة", "Essaouira"),
    (Province.REHAMNA, "ابن جرير", "Ben Guerir"),
    (Province.SAFI, "آسفي", "Safi"),
    (Province.YOUSSOUFIA, "اليوسفية", "Youssoufia"),
]


def load() -> list[Commune]:
    """The eight seat communes (urban), created once."""
    return [
        commune_ensure(province=province, name_ar=name_ar, name_fr=name_fr, kind=Commune.Kind.URBAN)
        for province, name_ar, name_fr in SEATS
    ]
