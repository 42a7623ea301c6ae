"""Coded political events (topic ``events``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from schemas.base import CalendarDate, Timestamp, WireModel

Sector = Literal[
    "GOV",
    "MIL",
    "COP",
    "JUD",
    "LEG",
    "OPP",
    "REB",
    "INS",
    "CVL",
    "BUS",
    "MED",
    "IGO",
    "NGO",
    "REL",
    "EDU",
    "HLH",
    "SPY",
    "UAF",
    "PTY",
    "ELI",
    "CRM",
    "PRM",
    "LAB",
    "AGR",
    "REF",
    "PRE",
]
"""Actor roles, CAMEO/PLOVER agent types: GOV executive, MIL military, COP police, JUD judiciary,
LEG legislature, OPP opposition, REB rebels, INS insurgents, CVL civilians, BUS business, MED
media, IGO/NGO international and non-governmental organisations, REL religious, EDU education,
HLH health, SPY intelligence, UAF unidentified armed forces, PTY political party, ELI elites
(former office holders), CRM criminals, PRM paramilitaries and militias, LAB labour, AGR
agriculture, REF refugees and displaced people, PRE partially recognised states."""
Iso3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
DatePrecision = Literal["day", "week", "month", "article"]
Modality = Literal["asserted", "planned", "threatened", "conditional", "reported"]


class Actor(WireModel):
    """Who did something, or to whom it was done."""

    text: Annotated[str, Field(min_length=1, max_length=500)]
    """The words in the sentence that name the actor."""
    name: Annotated[str, Field(min_length=1, max_length=300)]
    """Canonical name (a person, an organisation, or a country's government)."""
    country: Iso3 | None
    """ISO 3166-1 alpha-3 country the actor belongs to; None for international bodies."""
    sector: Sector | None
    """Role of the actor (GOV, MIL, REB, IGO, …); None for a country as a whole."""
    code: Annotated[str, Field(pattern=r"^[A-Z]{3}([A-Z]{3})*$")]
    """CAMEO-style code: country then sector, e.g. "RUSGOV", or an IGO code such as "IGOUNO"."""


class Location(WireModel):
    """Where the event happened, resolved against the gazetteer."""

    name: Annotated[str, Field(min_length=1, max_length=300)]
    """Place name as resolved (gazetteer spelling)."""
    country: Iso3 | None
    """ISO 3166-1 alpha-3 country of the place."""
    lat: Annotated[float, Field(ge=-90, le=90)] | None
    """Latitude (WGS 84)."""
    lon: Annotated[float, Field(ge=-180, le=180)] | None
    """Longitude (WGS 84)."""
    geonames_id: int | None
    """GeoNames id of the place."""
    precision: Literal["facility", "city", "admin2", "admin1", "country"]
    """How specific the place is: a facility, a city, a county/district (admin2), a
    state/province (admin1); "country" means only the country is known."""


class Event(WireModel):
    """One coded event: who did what to whom, where and when, with the evidence sentence."""

    event_id: Annotated[str, Field(pattern=r"^ev-[0-9a-f]{20}$")]
    """Deterministic id: the same input always yields the same id, so re-delivery never duplicates."""
    article_id: Annotated[str, Field(min_length=1, max_length=512)]
    """Article the event was coded from."""
    article_url: Annotated[str, Field(max_length=4_096)] | None
    """URL of that article (evidence for analysts)."""
    outlet: Annotated[str, Field(max_length=2_000)] | None
    """Outlet that published the article."""
    published_at: Timestamp | None
    """Publication time of the article."""
    story_id: Annotated[str, Field(pattern=r"^st-[0-9a-f]{20}$")]
    """Same real-world happening across articles: date, dyad and event family."""
    sentence: Annotated[str, Field(min_length=1, max_length=5_000)]
    """The sentence the event was coded from."""
    sentence_index: Annotated[int, Field(ge=0)]
    """Position of that sentence in the cleaned article."""
    date: CalendarDate
    """Calendar date of the event itself (resolved from "on Friday" etc.), not of the article."""
    date_precision: DatePrecision
    """How much ``date`` says: "day" when the sentence names the day; "week" / "month" for
    "last week", "earlier this month" (``date`` is then the period's first day);
    "article" when the article date was used."""
    code: Annotated[str, Field(pattern=r"^[0-9]{2,4}$")]
    """CAMEO event code, e.g. "195"."""
    root_code: Annotated[str, Field(pattern=r"^[0-9]{2}$")]
    """CAMEO root (first two digits), e.g. "19"."""
    label: str
    """CAMEO label of the code."""
    quad_class: Annotated[int, Field(ge=1, le=4)]
    """1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."""
    goldstein: Annotated[float, Field(ge=-10, le=10)]
    """Goldstein scale value of the code."""
    plover: str | None
    """PLOVER event type (e.g. "ASSAULT"), None where PLOVER dropped the CAMEO code."""
    predicate: Annotated[str, Field(min_length=1, max_length=300)]
    """The words that triggered the event ("launched strikes", "condemned")."""
    source: Actor
    """Who acted."""
    target: Actor | None
    """Who was acted upon, when stated."""
    location: Location | None
    """Main place of the event, when the text gives one."""
    places: list[Location] = Field(default_factory=list)
    """Every place the text ties to the event (e.g. the cities hit), main place first."""
    negated: bool = False
    """True when the text says the event did not happen ("did not condemn")."""
    modality: Modality = "asserted"
    """Whether the event happened, is planned, threatened, conditional or only reported."""
    attribution: Annotated[str, Field(max_length=300)] | None = None
    """Who said so, for reported events ("the Kremlin")."""
    confidence: Annotated[float, Field(ge=0, le=1)]
    """How sure the coder is of code and roles together."""
    mentions: Annotated[int, Field(ge=1)] = 1
    """Reports of this event seen so far (sentences across articles)."""
    sources: Annotated[int, Field(ge=1)] = 1
    """Distinct outlets that reported it."""
    copy_of: Annotated[str, Field(max_length=512)] | None = None
    """Set when the reporting article is a copy of another (a duplicate flagged by the clean
    stage): the id of that original. A copy is a further mention, not an independent source."""
    coded_at: Timestamp
    """When the event was coded (wall clock)."""
