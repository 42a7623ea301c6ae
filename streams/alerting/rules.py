"""Alert rules: a YAML file validated by pydantic — event rules, windowed escalation, first-seen.

The file (``WIREWATCH_RULES_FILE``, else the shipped ``data/rules.yaml``) replaces the shipped
set, or extends it with ``include_defaults: true`` (a rule of the same name replaces the
shipped one; an ``escalation`` / ``first_seen`` section replaces the shipped section). Any
mistake — bad YAML, an unknown field, a bad value, an unknown template placeholder, a
duplicate name — fails at start-up naming the file, the line and the reason.
"""

from __future__ import annotations

import re
import string
from datetime import timedelta
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from schemas import Event, Modality, Severity
from streams.yamlfile import parse_model, read_text

SEVERITY_RANK: dict[str, int] = {"info": 1, "warning": 2, "critical": 3}
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")


class RulesError(Exception):
    """The rules file cannot be used; the message names the file, the place and the reason."""


def _duration(value: Any) -> Any:
    """``"90s"``, ``"5m"``, ``"1h"``, ``"7d"`` or a number of seconds → timedelta."""
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or a string like '5m', '1h', '7d'")
    if isinstance(value, int | float):
        return timedelta(seconds=value)
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match is None:
            raise ValueError(f"{value!r} is not a duration like '90s', '5m', '1h' or '7d'")
        return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])
    return value


Duration = Annotated[timedelta, BeforeValidator(_duration)]

#: Placeholders of event-rule templates (see ``stage.render``).
EVENT_FIELDS = frozenset(
    {"source", "target", "source_country", "target_country", "label", "code", "places", "date", "sentence", "outlet"}
)
#: Placeholders of escalation templates (see ``escalation.render``).
ESCALATION_FIELDS = frozenset({"subject", "count", "baseline", "z", "window", "quad", "label", "sentence"})


def check_template(template: str, allowed: frozenset[str]) -> str:
    """``template`` when every ``{placeholder}`` is known, else ValueError naming the unknown ones."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise ValueError(f"bad template: {exc}") from exc
    unknown = sorted(n for n in names if n not in allowed)
    if unknown:
        raise ValueError(
            f"unknown placeholder(s) {', '.join('{' + n + '}' for n in unknown)}; known: {sorted(allowed)}"
        )
    return template


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
    goldstein_min: float | None = None
    """Goldstein value at least this."""
    countries: list[str] | None = None
    """Source, target or location country (ISO3) in this list."""
    source_countries: list[str] | None = None
    """Source actor's country (ISO3) in this list."""
    target_countries: list[str] | None = None
    """Target actor's country (ISO3) in this list."""
    location_countries: list[str] | None = None
    """Country of the event's location or of one of its places in this list."""
    sectors: list[str] | None = None
    """Source or target sector (GOV, MIL, REB, …) in this list."""
    actors: list[str] | None = None
    """Source or target actor named (actor name or code, case-insensitive) in this list."""
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


class Corroboration(BaseModel):
    """Severity rises when enough independent outlets report the alert's stories within a window."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sources: Annotated[int, Field(ge=2, le=50)] = 3
    """Distinct outlets (copies of another article not counted) needed."""
    within: Duration = timedelta(hours=24)
    """Their reports must fall within this span (event-report time)."""
    severity: Severity = "critical"
    """Severity the alert rises to (never lowered)."""


class Rule(BaseModel):
    """One event rule."""

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
    cooldown: Duration = timedelta(hours=1)
    """After the rule fires for a (source country, target country), matching events of other
    stories within this span update that alert instead of raising a new one."""
    corroboration: Corroboration | None = None
    """Optional severity rise on independent confirmation."""
    title: Annotated[str, Field(min_length=1, max_length=300)]
    """Title template."""
    summary: Annotated[str, Field(max_length=2_000)]
    """Summary template."""

    @field_validator("title", "summary")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        return check_template(value, EVENT_FIELDS)

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
        if c.goldstein_min is not None and event.goldstein < c.goldstein_min:
            return False
        if c.modalities is not None and event.modality not in c.modalities:
            return False
        if not self._actors_match(event):
            return False
        if c.countries is not None and not (set(c.countries) & event_countries(event)):
            return False
        if c.location_countries is not None and not (set(c.location_countries) & location_countries(event)):
            return False
        return self.mentions is None or self._mentions_match(event)

    def _actors_match(self, event: Event) -> bool:
        c = self.when
        actors = [a for a in (event.source, event.target) if a is not None]
        if c.source_countries is not None and event.source.country not in c.source_countries:
            return False
        if c.target_countries is not None and (event.target is None or event.target.country not in c.target_countries):
            return False
        if c.sectors is not None and not any(a.sector in c.sectors for a in actors):
            return False
        if c.actors is not None:
            wanted = {w.casefold() for w in c.actors}
            if not any(a.name.casefold() in wanted or (a.code or "").casefold() in wanted for a in actors):
                return False
        return True

    def _mentions_match(self, event: Event) -> bool:
        assert self.mentions is not None
        pattern = self._keyword_re
        if pattern is not None and pattern.search(event.sentence):
            return True
        wanted = {p.casefold() for p in self.mentions.places}
        return any(place.name.casefold() in wanted for place in event.places)


def _happened() -> list[Modality]:
    return ["asserted", "reported"]


class Counted(BaseModel):
    """Which events the escalation counts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    quad_classes: list[Annotated[int, Field(ge=1, le=4)]] = Field(default_factory=lambda: [3, 4])
    """QuadClasses counted (each is counted apart)."""
    modalities: list[Modality] = Field(default_factory=_happened)
    """Modalities counted (planned or hypothetical events did not happen)."""
    min_confidence: Annotated[float, Field(ge=0, le=1)] = 0.3
    """Minimum event confidence."""


class EscalationSpec(BaseModel):
    """Surges: events per dyad (source country, target country, QuadClass) and per country
    (QuadClass) in a hopping window, against an EWMA baseline of the previous windows."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    window: Duration = timedelta(hours=1)
    """Length of the counting window."""
    step: Duration = timedelta(minutes=5)
    """Hop of the window (the bucket size of the windowed table)."""
    baseline_windows: Annotated[int, Field(ge=1, le=168)] = 24
    """Previous windows the baseline averages over."""
    alpha: Annotated[float, Field(gt=0, le=1)] = 0.3
    """EWMA weight of the most recent window."""
    z: Annotated[float, Field(gt=0)] = 3.0
    """Fire when (count − baseline) / std reaches this."""
    min_std: Annotated[float, Field(gt=0)] = 1.0
    """Floor of the standard deviation (a quiet dyad's std is 0)."""
    min_count: Annotated[int, Field(ge=1)] = 5
    """…and the window counts at least this many happenings."""
    per_country: bool = True
    """Also count per country (source or target), not only per dyad."""
    severity: Severity = "warning"
    """Severity of a surge alert."""
    cooldown: Duration = timedelta(hours=6)
    """A subject fires at most once per cooldown; a surge that keeps growing updates that alert."""
    count: Counted = Field(default_factory=Counted)
    """Which events are counted."""
    title: Annotated[str, Field(min_length=1, max_length=300)] = "Surge: {count} {quad} events, {subject} in {window}"
    """Title template."""
    summary: Annotated[str, Field(max_length=2_000)] = (
        "{count} distinct {quad} events for {subject} in the last {window} (baseline {baseline}, z {z}). "
        'Latest: "{sentence}"'
    )
    """Summary template."""

    @field_validator("title", "summary")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        return check_template(value, ESCALATION_FIELDS)

    @model_validator(mode="after")
    def _step_divides_window(self) -> EscalationSpec:
        if self.step.total_seconds() <= 0 or self.window < self.step:
            raise ValueError("step must be positive and no longer than window")
        if round(self.window.total_seconds()) % round(self.step.total_seconds()):
            raise ValueError("window must be a whole number of steps")
        return self


class FirstSeenSpec(BaseModel):
    """A dyad's first material conflict (QuadClass 4) within the retention."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    retention: Duration = timedelta(days=30)
    """How long a dyad is remembered after its last material conflict."""
    learning: Duration = timedelta(days=1)
    """Quiet start: no first-seen alert until the worker has watched events this long (on a
    fresh deployment every dyad would be first seen)."""
    severity: Severity = "warning"
    """Severity of a first-seen alert."""
    min_confidence: Annotated[float, Field(ge=0, le=1)] = 0.3
    """Minimum event confidence."""
    modalities: list[Modality] = Field(default_factory=_happened)
    """Modalities counted."""
    title: Annotated[str, Field(min_length=1, max_length=300)] = "First material conflict: {subject}"
    """Title template."""
    summary: Annotated[str, Field(max_length=2_000)] = (
        'No material conflict for {subject} in the retention before this: {label}. "{sentence}"'
    )
    """Summary template."""

    @field_validator("title", "summary")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        return check_template(value, ESCALATION_FIELDS)


class RuleSet(BaseModel):
    """The rules of one file: event rules evaluated in order, and the optional escalations."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    include_defaults: bool = False
    """Extend the shipped rules instead of replacing them."""
    rules: list[Rule] = Field(default_factory=list)
    """Event rules, evaluated in order."""
    escalation: EscalationSpec | None = None
    """Surge detection; absent: off."""
    first_seen: FirstSeenSpec | None = None
    """First-seen material conflict; absent: off."""

    def matching(self, event: Event) -> list[Rule]:
        """Rules that match ``event``, in file order, honouring ``stop``."""
        hits: list[Rule] = []
        for rule in self.rules:
            if rule.matches(event):
                hits.append(rule)
                if rule.stop:
                    break
        return hits


def location_countries(event: Event) -> set[str]:
    """Countries of the event's location and places."""
    found = {place.country for place in event.places}
    if event.location is not None:
        found.add(event.location.country)
    return {c for c in found if c}


def event_countries(event: Event) -> set[str]:
    """Every country the event involves: actors and places."""
    countries = {event.source.country} | location_countries(event)
    if event.target is not None:
        countries.add(event.target.country)
    return {c for c in countries if c}


def parse_rules(text: str, origin: str = "<rules>") -> RuleSet:
    """Parse and validate rules YAML; a bad file raises RulesError with line and reason."""
    ruleset = parse_model(text, RuleSet, origin, ("R001", "R002"), RulesError)
    names = [r.name for r in ruleset.rules]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise RulesError(f"R003: {origin}: duplicate rule names: {', '.join(duplicates)}")
    if not ruleset.rules and not ruleset.include_defaults and ruleset.escalation is None and ruleset.first_seen is None:
        raise RulesError(f"R004: {origin}: no rules, no escalation and no first_seen: the file would alert on nothing")
    return ruleset


def default_rules() -> RuleSet:
    """The shipped rule set."""
    text = resources.files("streams.alerting").joinpath("data/rules.yaml").read_text("utf-8")
    return parse_rules(text, "default rules.yaml")


def extend(base: RuleSet, extra: RuleSet) -> RuleSet:
    """``base`` with ``extra``'s rules added (same name: ``extra``'s replaces it, in place) and
    its escalation sections replacing ``base``'s where given."""
    mine = {r.name: r for r in extra.rules}
    rules = [mine.pop(r.name, r) for r in base.rules] + [r for r in extra.rules if r.name in mine]
    return RuleSet(
        rules=rules,
        escalation=extra.escalation if "escalation" in extra.model_fields_set else base.escalation,
        first_seen=extra.first_seen if "first_seen" in extra.model_fields_set else base.first_seen,
    )


def load_rules(path: Path | None = None) -> RuleSet:
    """Rules from ``path`` (``WIREWATCH_RULES_FILE``), else the shipped default set."""
    if path is None:
        return default_rules()
    ruleset = parse_rules(read_text(path, "R000", "rules file", RulesError), str(path))
    return extend(default_rules(), ruleset) if ruleset.include_defaults else ruleset
