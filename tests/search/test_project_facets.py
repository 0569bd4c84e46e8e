"""The content apps register their facets with the search app at start-up."""

from search.registry import registered_facets


def test_courses_and_archive_register_their_facets():
    """Theme (courses), year, province and activity type (archive) are offered on /search/."""
    facets = {facet.key: facet for facet in registered_facets()}
    assert {"theme", "year", "province", "activity_type"} <= set(facets)
    assert facets["province"].labels(["al-haouz"]) == {"al-haouz": "الحوز"}
    assert facets["activity_type"].labels(["workshop"])["workshop"] != "workshop"
