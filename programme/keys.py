"""The two identifiers a registration carries: its check-in code and the beneficiary's key."""

import re
import secrets
import uuid

from .models.registrations import BENEFICIARY_NAMESPACE

# No 0/O or 1/I/L: a code read aloud or typed from a sign-in sheet is not misread.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16  # 31^16 ≈ 7·10^23: not guessable, short enough for a small QR code


def new_code() -> str:
    """A fresh, unguessable check-in code (letters and digits only, as the ``<code:>`` converter reads)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))


def beneficiary_key(*, user_id: int | None = None, email: str = "", phone: str = "") -> uuid.UUID:
    """The same key for every registration of one person, across sessions.

    From the account when there is one, else from the e-mail (case-folded), else from the phone's
    digits; with none of them, a new random key (a walk-in known only by name counts once per session).
    """
    if user_id is not None:
        return uuid.uuid5(BENEFICIARY_NAMESPACE, f"user:{user_id}")
    if email.strip():
        return uuid.uuid5(BENEFICIARY_NAMESPACE, f"email:{email.strip().casefold()}")
    digits = re.sub(r"\D", "", phone)
    if digits:
        return uuid.uuid5(BENEFICIARY_NAMESPACE, f"phone:{digits}")
    return uuid.uuid4()
