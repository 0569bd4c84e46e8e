"""The programme's admin screens (owned by progcore; this stub only loads the door's hooks until theirs lands)."""

from . import checkin_hooks  # noqa: F401,E402
