"""Database ids, verification codes and bounded integers, read from URLs and query strings.

Every id column of the project is a 64-bit signed integer. A number outside that range
is no id at all: the database drivers raise on it (SQLite's ``OverflowError``,
PostgreSQL's "out of range for type bigint") and the visitor got a 500. Here it never
gets that far: the ``<id:...>`` path converter does not match it (a 404), and
:func:`parse_int` turns a query parameter into a number within given bounds or None.
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1


def parse_int(value, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """``value`` as an integer within ``[minimum, maximum]``, else None.

    Only ASCII digits (with an optional leading minus) count: ``str.isdigit`` accepts
    "²" and "٣", which ``int()`` then refuses or reads as another number.
    """
    text = value.strip() if isinstance(value, str) else ""
    digits = text[1:] if text.startswith("-") else text
    if not digits or len(digits) > 19 or not digits.isascii() or not digits.isdigit():
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


class DatabaseIdConverter:
    """``<id:name>``: a database id (0 to 2**63 - 1); anything larger does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_int(value)
        if number is None:
            raise ValueError("not a database id")  # Django then tries the next pattern, and 404s
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class CodeConverter:
    """``<code:name>``: a verification code of letters and digits (at most 32); anything else,
    a NUL byte above all (PostgreSQL refuses it in a text query), does not match (404)."""

    regex = "[A-Za-z0-9]{1,32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(DatabaseIdConverter, "id")
register_converter(CodeConverter, "code")
