"""The user's patterns file (``WIREWATCH_PATTERNS_FILE``): verbs and nouns → CAMEO codes.

Same shape as the shipped ``data/predicates.json`` sections ``verbs`` and ``nouns``::

    verbs:
      restore:                # lemma (lower case)
        code: "064"           # default code of the verb
        prt: {up: "0XX"}      # particle → code ("set up")
        obj: {ties: "064"}    # object head (or one of its modifiers) → code
        prep: {"with:force": "190", against: "120"}   # preposition(:object) → code
    nouns:
      blockade:
        code: "191"
        mod: {naval: "191"}   # modifier → code ("naval blockade")
        embedded_only: false  # true: only counts under a framing verb ("urged talks")

Codes must be in the CAMEO table (``codes.table()``); an entry needs at least one code.
A lemma in the file replaces the shipped entry for that lemma (its refinements too). A bad
file fails with its line and reason (``P001`` unreadable, ``P002`` invalid YAML, ``P003``
invalid entry).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from streams.extraction import codes
from streams.yamlfile import parse_model, read_text


class PatternsFileError(ValueError):
    """A patterns file that cannot be used; the message names the file, the line and the reason."""


def _known(code: str) -> str:
    if not codes.is_known(code):
        raise ValueError(f"unknown CAMEO code {code!r}")
    return code


Code = Annotated[str, Field(pattern=r"^[0-9]{2,4}$"), AfterValidator(_known)]
Lemma = Annotated[str, Field(min_length=1, max_length=100)]


class VerbPattern(BaseModel):
    """A verb lemma's code and its particle / object / preposition refinements."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Code | None = None
    prt: dict[Lemma, Code] = Field(default_factory=dict)
    obj: dict[Lemma, Code] = Field(default_factory=dict)
    prep: dict[Lemma, Code] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _has_code(self) -> VerbPattern:
        if self.code is None and not (self.prt or self.obj or self.prep):
            raise ValueError("a verb needs a code or at least one of prt/obj/prep")
        return self


class NounPattern(BaseModel):
    """An event noun's code and its modifier refinements."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Code | None = None
    mod: dict[Lemma, Code] = Field(default_factory=dict)
    embedded_only: bool = False

    @model_validator(mode="after")
    def _has_code(self) -> NounPattern:
        if self.code is None and not self.mod:
            raise ValueError("a noun needs a code or at least one mod")
        return self


class PatternsFile(BaseModel):
    """A user's patterns file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    verbs: dict[Lemma, VerbPattern] = Field(default_factory=dict)
    nouns: dict[Lemma, NounPattern] = Field(default_factory=dict)

    def lexicon_entries(self) -> dict[str, dict[str, dict[str, Any]]]:
        """``{"verbs": {lemma: entry}, "nouns": {...}}`` in predicates.json's shape (lemmas lower-cased)."""
        return {
            "verbs": {k.lower(): v.model_dump(exclude_defaults=True) for k, v in self.verbs.items()},
            "nouns": {k.lower(): n.model_dump(exclude_defaults=True) for k, n in self.nouns.items()},
        }


def parse_patterns_file(text: str, origin: str = "<patterns>") -> PatternsFile:
    """Parse and validate a patterns file; a bad one raises PatternsFileError with line and reason."""
    return parse_model(text, PatternsFile, origin, ("P002", "P003"), PatternsFileError)


def load_patterns_file(path: Path) -> PatternsFile:
    """The patterns file at ``path``, validated."""
    return parse_patterns_file(read_text(path, "P001", "patterns file", PatternsFileError), str(path))


@cache
def user_file(path: Path | None) -> PatternsFile | None:
    """The user's patterns file (cached per path); None when not configured."""
    return load_patterns_file(path) if path is not None else None
