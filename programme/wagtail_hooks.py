"""The programme's admin and hooks. progcore owns this module; progafter's part lives in after_hooks."""

from . import after_hooks  # noqa: F401
