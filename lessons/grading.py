"""Server-side grading of quiz answers, with Arabic- and French-aware text comparison."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Forms that NFKD does not fold: alef wasla, alef maqsura, ta marbuta, tatweel, lone hamza.
_ARABIC_FOLD = str.maketrans({"ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None, "ء": None})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def normalise_text(value: str) -> str:
    """Fold a short answer for comparison.

    NFKD splits hamza and madda off their carriers (أ إ آ ؤ ئ) and accents off Latin
    letters; dropping the combining marks then removes harakat, hamza marks and accents
    alike. Case, punctuation and spacing are folded too.
    """
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_ARABIC_FOLD).translate(_DIGITS).casefold()
    text = _PUNCT.sub(" ", text)
    return " ".join(text.split())


# Answers are stored with 14 digits, 4 after the point; a typed exponent far beyond that is no
# plausible answer, and subtracting it from the expected one raised decimal.Overflow (a 500).
_MAX_EXPONENT = 20


def parse_number(value: str) -> Decimal | None:
    """A number typed by a learner: Arabic-Indic digits, a comma or Arabic decimal separator.

    None when it is no number, or lies beyond what any answer can be (``9e9999999``).
    """
    text = (value or "").strip().translate(_DIGITS).replace("٫", ".").replace(",", ".").replace(" ", "")
    if not text or len(text) > 30:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or (number and abs(number.adjusted()) > _MAX_EXPONENT):
        return None
    return number


def correct_option_ids(question) -> list[str]:
    """The ids of the correct options (for ordering questions: every id, in the correct order)."""
    kind = question.kind
    if kind == "true_false":
        return ["true" if question.correct_true else "false"]
    if kind == "ordering":
        return [child.id for child in question.options]
    return [child.id for child in question.options if child.value.get("correct")]


def grade_question(question, answer) -> bool:
    """Whether ``answer`` (already validated against the attempt's layout) is correct."""
    kind = question.kind
    if kind in ("single", "true_false"):
        return answer == correct_option_ids(question)[0]
    if kind == "multiple":
        return set(answer or []) == set(correct_option_ids(question))
    if kind == "ordering":
        return list(answer or []) == correct_option_ids(question)
    if kind == "short_text":
        given = normalise_text(answer or "")
        accepted = {normalise_text(line) for line in question.accepted_answers.splitlines() if line.strip()}
        return bool(given) and given in accepted
    if kind == "numeric":
        number = parse_number(answer or "")
        return number is not None and abs(number - question.numeric_answer) <= question.tolerance
    return False
