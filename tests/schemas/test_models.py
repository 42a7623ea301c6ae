"""Wire models: strict, frozen, extra fields refused, orjson round trip."""

from __future__ import annotations

import orjson
import pytest
from pydantic import ValidationError

from schemas import Escalation, RawArticle


def test_raw_article_round_trips_through_json() -> None:
    raw = RawArticle(id="a1", url="https://example.test/a1", text="Body.", published_at="2025-06-13T10:00:00Z")  # type: ignore[arg-type]
    assert RawArticle.from_json(raw.to_json()) == raw


def test_raw_article_without_text_or_html_is_refused() -> None:
    with pytest.raises(ValidationError, match="non-empty `text` or `html`"):
        RawArticle.from_json(b'{"id": "a1", "text": "   "}')


def test_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        RawArticle.from_json(b'{"text": "x", "body": "y"}')


def test_wrong_type_is_refused_not_coerced() -> None:
    with pytest.raises(ValidationError):
        RawArticle.from_json(b'{"text": "x", "id": 42}')


def test_models_are_frozen() -> None:
    raw = RawArticle(text="x")
    with pytest.raises(ValidationError):
        raw.text = "y"  # type: ignore[misc]


def test_invalid_json_raises_the_json_error() -> None:
    with pytest.raises(orjson.JSONDecodeError):
        RawArticle.from_json(b"{not json")


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_a_float_json_cannot_carry_is_refused(value: float) -> None:
    # Found by tests/properties/test_schemas.py (HYPOTHESIS_PROFILE=fuzz): an Escalation with
    # z_score=inf was accepted, written as null, and refused when read back.
    fields = {
        "subject": "dyad ISR→IRN",
        "quad_class": 4,
        "window_start": "2025-06-13T18:00:00Z",
        "window_end": "2025-06-13T19:00:00Z",
        "count": 3,
        "baseline": 0.0,
        "z_score": value,
    }
    with pytest.raises(ValidationError):
        Escalation.model_validate(fields)
    with pytest.raises(ValidationError):
        Escalation.model_validate({**fields, "z_score": 1.0, "baseline": value})
