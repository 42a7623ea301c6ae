"""Every topic model: valid instances survive the wire; any bytes parse to a model or a ValueError."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from schemas import TOPIC_MODELS, WireModel
from tests.properties.strategies import RAW_JSON_TRICKS, VALID, examples, json_values, record_values


def test_every_topic_model_has_a_strategy() -> None:
    assert set(VALID) == set(TOPIC_MODELS)


@pytest.mark.parametrize("name", sorted(TOPIC_MODELS))
def test_valid_instance_survives_to_json_and_from_json(name: str) -> None:
    model = TOPIC_MODELS[name]

    @settings(max_examples=examples(40))
    @given(VALID[name])
    def check(instance: Any) -> None:
        assert isinstance(instance, model)
        assert model.from_json(instance.to_json()) == instance

    check()


def _valid_dicts(name: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    @settings(max_examples=5, database=None)
    @given(VALID[name])
    def collect(instance: WireModel) -> None:
        found.append(instance.model_dump(mode="json"))

    collect()
    return found


@pytest.mark.parametrize("name", sorted(TOPIC_MODELS))
def test_from_json_on_any_bytes_gives_a_model_or_a_value_error(name: str) -> None:
    model = TOPIC_MODELS[name]
    values = st.one_of(record_values(_valid_dicts(name), long_text=5_000), st.sampled_from(RAW_JSON_TRICKS))

    @settings(max_examples=examples(60))
    @given(values)
    def check(data: bytes) -> None:
        try:
            parsed = model.from_json(data)
        except (ValidationError, orjson.JSONDecodeError):
            return
        assert isinstance(parsed, model)

    check()


@settings(max_examples=examples(50))
@given(st.sampled_from(sorted(TOPIC_MODELS)), json_values)
def test_from_obj_on_any_json_value_gives_a_model_or_a_validation_error(name: str, value: Any) -> None:
    try:
        TOPIC_MODELS[name].from_obj(value)
    except ValidationError:
        return
