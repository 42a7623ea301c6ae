"""Export JSON Schema files so consumers in other languages can validate topic messages."""

from __future__ import annotations

from pathlib import Path

import orjson

from schemas import TOPIC_MODELS

JSON_DIR = Path(__file__).parent / "json"


def render_schemas() -> dict[str, bytes]:
    """JSON Schema of every topic model, by file name, as the bytes that are committed."""
    out: dict[str, bytes] = {}
    for stem, model in TOPIC_MODELS.items():
        schema = model.model_json_schema(mode="validation")
        out[f"{stem}.schema.json"] = orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    return out


def export_schemas(directory: Path = JSON_DIR) -> list[Path]:
    """Write every schema file into ``directory``; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in render_schemas().items():
        path = directory / name
        path.write_bytes(data)
        written.append(path)
    return written
