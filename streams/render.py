"""Readable one-line renderings of topic messages, for ``wirewatch tail`` and the demo."""

from __future__ import annotations

import orjson
from pydantic import ValidationError

from schemas import Alert, CleanArticle, DeadLetter, Event, RawArticle, WireModel

_MODELS: tuple[type[WireModel], ...] = (Event, Alert, CleanArticle, DeadLetter, RawArticle)


def parse_any(value: bytes) -> WireModel | None:
    """The first topic model the value validates against, or None."""
    try:
        obj = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    for model in _MODELS:
        try:
            return model.from_obj(obj)
        except ValidationError:
            continue
    return None


def actor_label(name: str, code: str) -> str:
    return f"{name} [{code}]"


def describe(message: WireModel) -> str:
    """One readable line for any topic message."""
    if isinstance(message, Event):
        target = actor_label(message.target.name, message.target.code) if message.target else "-"
        places = ", ".join(p.name for p in message.places)
        flags = " NEGATED" if message.negated else ""
        flags += f" ({message.modality})" if message.modality != "asserted" else ""
        return (
            f"{message.date} {message.code} {message.label}: "
            f"{actor_label(message.source.name, message.source.code)} → {target}"
            f"{' @ ' + places if places else ''}{flags}  conf={message.confidence:.2f}"
        )
    if isinstance(message, Alert):
        ev = message.evidence[-1]
        return (
            f"[{message.severity.upper()}] {message.title} (v{message.version}, {message.rule}) — "
            f'"{ev.sentence}" {ev.article_url or ev.article_id}'
        )
    if isinstance(message, CleanArticle):
        return (
            f"{message.id} [{message.language or '?'}] {message.title or '(no title)'} — "
            f"{len(message.paragraphs)} paragraphs, {len(message.removed)} removed"
        )
    if isinstance(message, DeadLetter):
        return (
            f"{message.stage}/{message.reason} {message.topic}[{message.partition}]@{message.offset}: "
            f"{message.error_class}: {message.error[:200]}"
        )
    if isinstance(message, RawArticle):
        return f"{message.id or message.url or '(no id)'} {message.title or ''}".strip()
    return message.model_dump_json()[:300]


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


#: Column widths of the demo's live table of events.
EVENT_COLUMNS = (("date", 10), ("code", 4), ("event", 30), ("source", 26), ("target", 26), ("where", 28), ("mode", 10))


def event_header() -> str:
    """Header line of the live event table."""
    return " ".join(name.ljust(width) for name, width in EVENT_COLUMNS)


def event_row(event: Event) -> str:
    """One fixed-width row of the live event table."""
    mode = "negated" if event.negated else event.modality
    cells = (
        event.date.isoformat(),
        event.code,
        event.label,
        f"{event.source.name} [{event.source.code}]",
        f"{event.target.name} [{event.target.code}]" if event.target else "-",
        ", ".join(p.name for p in event.places) or "-",
        mode,
    )
    return " ".join(_fit(cell, width).ljust(width) for cell, (_, width) in zip(cells, EVENT_COLUMNS, strict=True))
