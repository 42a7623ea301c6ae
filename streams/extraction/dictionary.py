"""The actor dictionary: shipped files merged with the user's actors file (``WIREWATCH_ACTORS_FILE``).

Shipped: ``data/actors.json`` (countries, demonyms, capitals, metonyms, sector words, a
first set of office holders and organisations), ``data/officials.json`` (dated office
holders) and ``data/groups.json`` (parties, armed and criminal groups, agencies). The
user's file (YAML or JSON) has the same ``people`` / ``organisations`` entries (plus
optional ``countries``: name, iso3, aliases, demonyms); a name or
alias it lists replaces every shipped entry under that name, so a user can correct a
shipped entry as well as add new ones. Every entry is validated by pydantic; a bad file
fails at start-up with its line and the reason (``A001`` unreadable, ``A002`` invalid
YAML, ``A003`` invalid entry).
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas.events import Sector
from streams.yamlfile import parse_model, read_text

DATA = Path(__file__).parent / "data"
SHIPPED_EXTRA = ("officials.json", "officials_history.json", "groups.json")

Code = Annotated[str, Field(pattern=r"^[A-Z]{3}([A-Z]{3})*$")]
Iso3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Name = Annotated[str, Field(min_length=1, max_length=300)]


class ActorsFileError(ValueError):
    """A dictionary file that cannot be used; the message names the file, the line and the reason."""


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    """Canonical name, also matched in text."""
    aliases: list[Name] = Field(default_factory=list, max_length=100)
    """Other names matched in text (surname, acronym, transliterations)."""
    country: Iso3 | None = None
    """ISO 3166-1 alpha-3 country; null for international bodies and their officials."""
    sector: Sector | None = None
    """Role (GOV, MIL, REB, BUS, PTY, CRM, …); none: the entry codes as its ``code``, or as its
    country alone."""
    code: Code | None = None
    """CAMEO-style code; default: country + sector (e.g. ``KENGOV``)."""
    terms: list[tuple[date, date | None]] = Field(default_factory=list, max_length=50)
    """``[start, end]`` pairs (end exclusive, null while it lasts) in which this role applies;
    none: always.  Another entry under the same name covers other periods (an office holder's
    next office; the Taliban as insurgents, then as the government)."""

    @field_validator("terms")
    @classmethod
    def _ordered(cls, terms: list[tuple[date, date | None]]) -> list[tuple[date, date | None]]:
        for start, end in terms:
            if end is not None and end <= start:
                raise ValueError(f"term ends ({end}) before it starts ({start})")
        return terms

    @model_validator(mode="after")
    def _has_code(self) -> _Entry:
        if self.code is None and self.country is None:
            raise ValueError("an entry without a country needs a code (e.g. IGOUNO)")
        return self

    @property
    def full_code(self) -> str:
        """The code as written, else country + sector (country alone without a sector)."""
        return self.code or f"{self.country}{self.sector or ''}"


class Person(_Entry):
    """An office holder; the role applies only inside one of the terms (none given: always);
    after the last one the person is a former office holder (ELI)."""

    title: Annotated[str, Field(max_length=300)] | None = None
    """The office ("Foreign Minister"), for readers of the file."""


class Organisation(_Entry):
    """A body: party, company, armed group, agency, international organisation."""


class Country(BaseModel):
    """A country (or a fictional one) the shipped dictionary lacks or the user renames."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    """Canonical name, also matched in text."""
    iso3: Iso3
    """Three capital letters: the actor code of the country."""
    aliases: list[Name] = Field(default_factory=list, max_length=100)
    """Other names matched in text."""
    demonyms: list[Name] = Field(default_factory=list, max_length=100)
    """Adjectives and people names ("Gondorian"); the plural with -s matches too."""


class ActorsFile(BaseModel):
    """A user's actors file (``WIREWATCH_ACTORS_FILE``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    countries: list[Country] = Field(default_factory=list, max_length=10_000)

    people: list[Person] = Field(default_factory=list, max_length=100_000)
    organisations: list[Organisation] = Field(default_factory=list, max_length=100_000)


def parse_actors_file(text: str, origin: str = "<actors>") -> ActorsFile:
    """Parse and validate an actors file; a bad one raises ActorsFileError with line and reason."""
    return parse_model(text, ActorsFile, origin, ("A002", "A003"), ActorsFileError)


def load_actors_file(path: Path) -> ActorsFile:
    """The user's actors file at ``path``, validated."""
    return parse_actors_file(read_text(path, "A001", "actors file", ActorsFileError), str(path))


@cache
def shipped() -> dict[str, Any]:
    """``actors.json`` with the people and organisations of the other shipped files appended."""
    raw: dict[str, Any] = json.loads((DATA / "actors.json").read_text(encoding="utf-8"))
    for name in SHIPPED_EXTRA:
        path = DATA / name
        if not path.exists():
            continue
        extra = json.loads(path.read_text(encoding="utf-8"))
        raw["leaders"] = [*raw["leaders"], *extra.get("leaders", [])]
        raw["organisations"] = [*raw["organisations"], *extra.get("organisations", [])]
    return raw


@cache
def shipped_people() -> tuple[Person, ...]:
    """The shipped office holders, validated once (the index and the office table both use them)."""
    return tuple(Person.model_validate(raw) for raw in shipped()["leaders"])


@cache
def shipped_organisations() -> tuple[Organisation, ...]:
    """The shipped organisations, validated once."""
    return tuple(Organisation.model_validate(raw) for raw in shipped()["organisations"])


@cache
def user_file(path: Path | None) -> ActorsFile | None:
    """The user's actors file (cached per path); None when not configured."""
    return load_actors_file(path) if path is not None else None
