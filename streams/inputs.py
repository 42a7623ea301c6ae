"""Reading raw-article inputs from files: JSONL of messages, single .txt/.html articles, or stdin.

Shared by ``wirewatch produce`` and ``wirewatch process`` so both read inputs the same way.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

#: Single-article files larger than this are passed on as they are and dead-lettered as too large.
_SINGLE_FILE_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}


@dataclass(frozen=True, slots=True)
class InputMessage:
    """One raw-article message: key and value bytes as they would be published, and where it came from."""

    key: bytes | None
    value: bytes
    origin: str


def _key_of(value: bytes) -> bytes | None:
    """Message key: the article id, else its URL, when the value is a JSON object that has one."""
    try:
        obj = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    if isinstance(obj, dict):
        for field in ("id", "url"):
            if isinstance(obj.get(field), str) and obj[field]:
                return str(obj[field]).encode()
    return None


def _jsonl(lines: Iterator[bytes], origin: str) -> Iterator[InputMessage]:
    for number, line in enumerate(lines, start=1):
        value = line.rstrip(b"\r\n")
        if not value.strip():
            continue
        yield InputMessage(key=_key_of(value), value=value, origin=f"{origin}:{number}")


def _single_article(path: Path) -> InputMessage:
    data = path.read_bytes()
    field = _SINGLE_FILE_SUFFIXES[path.suffix.lower()]
    try:
        body = data.decode("utf-8")
    except UnicodeDecodeError:
        # Not text: pass the bytes on unchanged so the decode stage dead-letters them visibly.
        return InputMessage(key=path.stem.encode(), value=data, origin=str(path))
    value = orjson.dumps({"id": path.stem, "url": path.resolve().as_uri(), field: body})
    return InputMessage(key=path.stem.encode(), value=value, origin=str(path))


def read_inputs(inputs: list[str]) -> Iterator[InputMessage]:
    """Messages from every input in order. ``-`` reads JSONL from stdin."""
    for item in inputs:
        if item == "-":
            yield from _jsonl(iter(sys.stdin.buffer), "<stdin>")
            continue
        path = Path(item)
        if not path.is_file():
            raise FileNotFoundError(f"I001: input {item} is not a file")
        if path.suffix.lower() in _SINGLE_FILE_SUFFIXES:
            yield _single_article(path)
        else:
            with path.open("rb") as fh:
                yield from _jsonl(iter(fh), str(path))
