"""The Marrakech-Safi region's eight prefectures and provinces.

Profiles, reports, communes and archive records all refer to these keys, so the keys
are stable ASCII slugs and the labels are translated.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.TextChoices):
    """A prefecture or province of the Marrakech-Safi region."""

    MARRAKECH = "marrakech", _("Marrakech")
    AL_HAOUZ = "al-haouz", _("Al Haouz")
    CHICHAOUA = "chichaoua", _("Chichaoua")
    EL_KELAA = "el-kelaa-des-sraghna", _("El Kelaâ des Sraghna")
    ESSAOUIRA = "essaouira", _("Essaouira")
    REHAMNA = "rehamna", _("Rehamna")
    SAFI = "safi", _("Safi")
    YOUSSOUFIA = "youssoufia", _("Youssoufia")
