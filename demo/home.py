"""Demo content for the page tree's top: the two home pages and the section pages."""

from wagtail.models import Page, Site

from archive.models import ArchiveIndexPage
from courses.models import CourseIndexPage
from home.models import HomePage

from .pages import ensure_child, ensure_translation, locale

HOME = {
    "ar": {
        "title": "تكوين",
        "hero_title": "تكوين المنتخبين وأطر الجماعات الترابية لجهة مراكش آسفي",
        "hero_text": "منصة دار المنتخب للتكوين عن بعد والأرشيف الإلكتروني: وحدات تكوينية تتابعونها حسب وتيرتكم، وشهادات قابلة للتحقق، وذاكرة أنشطة المؤسسة منذ 2011.",
        "hero_cta_label": "تصفح الوحدات التكوينية",
    },
    "fr": {
        "title": "Takwin",
        "hero_title": "Former les élus et les cadres des collectivités territoriales de Marrakech-Safi",
        "hero_text": "La plateforme de formation à distance et d'archive électronique de la Maison de l'Élu : des modules à suivre à votre rythme, des certificats vérifiables et la mémoire des activités de l'institution depuis 2011.",
        "hero_cta_label": "Parcourir les modules",
    },
}
SECTIONS = {
    "courses": (CourseIndexPage, {"ar": "الوحدات التكوينية", "fr": "Modules de formation"}),
    "archive": (ArchiveIndexPage, {"ar": "الأرشيف", "fr": "Archive"}),
}


def load() -> dict[str, HomePage]:
    """Create (or update) both home pages and their section pages; return the homes by language."""
    root = Page.get_first_root_node()
    locale("ar")
    # Wagtail's "Welcome to your new Wagtail site!" placeholder makes way for ours.
    for placeholder in Page.objects.child_of(root).filter(content_type__model="page"):
        placeholder.delete()
    home_ar = ensure_child(root, HomePage, slug="home", **HOME["ar"])
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.root_page, site.site_name = "localhost", 80, home_ar, "Takwin"
    site.save()
    home_fr = ensure_translation(home_ar, "fr", **HOME["fr"])
    for slug, (model, titles) in SECTIONS.items():
        section = ensure_child(home_ar, model, slug=slug, title=titles["ar"])
        ensure_translation(section, "fr", title=titles["fr"], slug=slug)
    return {"ar": home_ar, "fr": home_fr}
