"""Alert rules: a YAML file validated by pydantic, matched against single events."""

from __future__ import annotations

import re
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from schemas import Event, Modality, Severity
from streams.yamlfile import parse_model, read_text

SEVERITY_RANK: dict[str, int] = {"info": 1, "warning": 2, "critical": 3}


class RulesError(Exception):
    """The rules file cannot be used; the message names the file, the place and the reason."""


class Conditions(BaseModel):
    """Conditions that must all hold; an absent condition matches anything."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    codes: list[str] | None = None
    """Exact CAMEO codes."""
    root_codes: list[str] | None = None
    """CAMEO root codes (two digits)."""
    quad_classes: list[Annotated[int, Field(ge=1, le=4)]] | None = None
    """QuadClasses 1–4."""
    plover: list[str] | None = None
    """PLOVER event types."""
    goldstein_max: float | None = None
    """Goldstein value at most this."""
    countries: list[str] | None = None
    """Source, target or location country (ISO3) in this list."""
    modalities: list[Modality] | None = None
    """Allowed modalities."""
    include_negated: bool = False
    """Whether negated events ("did not attack") can match."""
    min_confidence: Annotated[float, Field(ge=0, le=1)] = 0.0
    """Minimum event confidence."""


class Mentions(BaseModel):
    """At least one keyword in the sentence, or one place of the event, must be named."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    keywords: list[str] = Field(default_factory=list)
    """Whole words matched case-insensitively in the sentence."""
    places: list[str] = Field(default_factory=list)
    """Place names matched against the event's places (case-insensitive)."""


class Rule(BaseModel):
    """One alert rule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")]
    """Stable rule name (label value in metrics and Alertmanager)."""
    severity: Severity
    """Severity of the alert."""
    description: str = ""
    """What the rule is for."""
    when: Conditions = Field(default_factory=Conditions)
    """Conditions on the event."""
    mentions: Mentions | None = None
    """Optional keyword/place requirement."""
    stop: bool = False
    """When true, a match ends evaluation of later rules for this event."""
    title: Annotated[str, Field(min_length=1, max_length=300)]
    """Title template."""
    summary: Annotated[str, Field(max_length=2_000)]
    """Summary template."""

    @cached_property
    def _keyword_re(self) -> re.Pattern[str] | None:
        if not self.mentions or not self.mentions.keywords:
            return None
        words = "|".join(re.escape(k) for k in self.mentions.keywords)
        return re.compile(rf"\b(?:{words})\b", re.IGNORECASE)

    def matches(self, event: Event) -> bool:
        """Whether ``event`` satisfies every condition of the rule."""
        c = self.when
        if event.negated and not c.include_negated:
            return False
        if event.confidence < c.min_confidence:
            return False
        if c.codes is not None and event.code not in c.codes:
            return False
        if c.root_codes is not None and event.root_code not in c.root_codes:
            return False
        if c.quad_classes is not None and event.quad_class not in c.quad_classes:
            return False
        if c.plover is not None and event.plover not in c.plover:
            return False
        if c.goldstein_max is not None and event.goldstein > c.goldstein_max:
            return False
        if c.modalities is not None and event.modality not in c.modalities:
            return False
        if c.countries is not None and not (set(c.countries) & event_countries(event)):
            return False
        return self.mentions is None or self._mentions_match(event)

    def _mentions_match(self, event: Event) -> bool:
        assert self.mentions is not None
        pattern = self._keyword_re
        if pattern is not None and pattern.search(event.sentence):
            return True
        wanted = {p.casefold() for p in self.mentions.places}
        return any(place.name.casefold() in wanted for place in event.places)


class RuleSet(BaseModel):
    """The rules of one file, evaluated in order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: Annotated[list[Rule], Field(min_length=1)]

    def matching(self, event: Event) -> list[Rule]:
        """Rules that match ``event``, in file order, honouring ``stop``."""
        hits: list[Rule] = []
        for rule in self.rules:
            if rule.matches(event):
                hits.append(rule)
                if rule.stop:
                    break
        return hits


def event_countries(event: Event) -> set[str]:
    """Every country the event involves: actors and places."""
    countries = {event.source.country}
    if event.target is not None:
        countries.add(event.target.country)
    countries.update(place.country for place in event.places)
    if event.location is not None:
        countries.add(event.location.country)
    return {c for c in countries if c}


def parse_rules(text: str, origin: str = "<rules>") -> RuleSet:
    """Parse and validate rules YAML; a bad file raises RulesError with line and reason."""
    ruleset = parse_model(text, RuleSet, origin, ("R001", "R002"), RulesError)
    names = [r.name for r in ruleset.rules]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise RulesError(f"R003: {origin}: duplicate rule names: {', '.join(duplicates)}")
    return ruleset


def load_rules(path: Path | None = None) -> RuleSet:
    """Rules from ``path`` (``WIREWATCH_RULES_FILE``), else the shipped default set."""
    if path is None:
        text = resources.files("streams.alerting").joinpath("data/rules.yaml").read_text("utf-8")
        return parse_rules(text, "default rules.yaml")
    return parse_rules(read_text(path, "R000", "rules file", RulesError), str(path))
