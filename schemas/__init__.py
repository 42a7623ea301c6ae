"""Pydantic models of every Wirewatch topic message; the single source of truth for the wire format."""

from schemas.alerts import Alert, AlertKind, Escalation, Evidence, Severity, WindowStats
from schemas.articles import CleanArticle, RawArticle, Removal, RemovalReason
from schemas.base import SCHEMA_VERSION, WireModel
from schemas.deadletter import DeadLetter, DeadLetterReason
from schemas.events import Actor, Event, Location, Modality, Sector

#: Every model with a topic of its own, by exported file stem.
TOPIC_MODELS: dict[str, type[WireModel]] = {
    "raw_article": RawArticle,
    "clean_article": CleanArticle,
    "event": Event,
    "alert": Alert,
    "dead_letter": DeadLetter,
}

__all__ = [
    "SCHEMA_VERSION",
    "TOPIC_MODELS",
    "Actor",
    "Alert",
    "AlertKind",
    "CleanArticle",
    "DeadLetter",
    "DeadLetterReason",
    "Escalation",
    "Event",
    "Evidence",
    "Location",
    "Modality",
    "RawArticle",
    "Removal",
    "RemovalReason",
    "Sector",
    "Severity",
    "WindowStats",
    "WireModel",
]
