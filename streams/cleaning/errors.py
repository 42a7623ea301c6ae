"""Errors of the clean stage.

Messages start with a short stable code ("C001: ...") so dead letters and metrics can
group failures without parsing free text; the rest of the message is for humans.
"""

from __future__ import annotations

# Stable codes. Never renumber: dashboards and dead-letter queries key on them.
NOTHING_LEFT = "C001"
"""Nothing of the body survived extraction and cleaning."""
INPUT_TOO_LARGE = "C002"
"""The raw text or HTML is larger than the stage accepts."""
TOO_COMPLEX = "C003"
"""The HTML has more elements than any article page; parsing it would take unbounded time."""


class CleaningError(ValueError):
    """The article cannot be cleaned; the caller should dead-letter it.

    A ``ValueError`` because the input, not the code, is at fault.
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
