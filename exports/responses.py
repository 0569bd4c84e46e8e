"""The HTTP download of a table, in any of the formats of :data:`FORMATS`."""

from collections.abc import Iterable, Mapping, Sequence

from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.http import content_disposition_header

from .writers import XLSX_CONTENT_TYPE, Column, to_csv, to_xlsx

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_CONTENT_TYPE,
}


def export_response(
    *,
    fmt: str,
    columns: Sequence[Column],
    rows: Iterable[Mapping],
    filename: str,
    language: str | None = None,
    sheet_title: str | Promise = "",
) -> HttpResponse:
    """``rows`` as a downloaded ``filename.<fmt>``; headers in ``language`` (default: the active one).

    An unknown format is a 404, as for any other address that names nothing.
    """
    if fmt not in FORMATS:
        raise Http404
    language = language or translation.get_language() or "ar"
    if fmt == "csv":
        content = to_csv(columns, rows, language=language)
    else:
        content = to_xlsx(columns, rows, language=language, sheet_title=sheet_title or filename)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{filename}.{fmt}")
    return response
