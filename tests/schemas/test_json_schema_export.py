"""The committed JSON Schema files are exactly what the models produce."""

from __future__ import annotations

from schemas.export import JSON_DIR, render_schemas


def test_committed_schema_files_match_the_models() -> None:
    rendered = render_schemas()
    committed = {p.name: p.read_bytes() for p in JSON_DIR.glob("*.schema.json")}
    assert set(committed) == set(rendered), "run `wirewatch schemas export` and commit schemas/json"
    drifted = [name for name, data in rendered.items() if committed[name] != data]
    assert not drifted, f"schemas drifted from the models: {drifted}; run `wirewatch schemas export`"


def test_every_topic_has_a_schema_file() -> None:
    assert set(render_schemas()) == {
        "raw_article.schema.json",
        "clean_article.schema.json",
        "event.schema.json",
        "alert.schema.json",
        "dead_letter.schema.json",
    }
