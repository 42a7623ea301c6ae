"""Line numbers for errors in the YAML files users write (rules, actors, patterns).

A validation error names a path (``rules.1.severity``); users fix files by line, so the
path is walked through the composed YAML to the deepest node it reaches.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def line_of(text: str, loc: Sequence[int | str]) -> int | None:
    """1-based line of the deepest node of ``loc`` in ``text`` (a mapping key's line, a list
    item's first line); None when the text is not YAML or the path is not in it."""
    try:
        node: Any = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if pair is None:
                break
            line, node = int(pair[0].start_mark.line) + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = int(node.start_mark.line) + 1
        else:
            break
    return line


def error_where(exc: yaml.YAMLError) -> str:
    """Where a YAML syntax error is: its line, and the line of what it breaks when that differs."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}" if mark is not None else "unknown line"
    context = getattr(exc, "context_mark", None)
    if context is not None and (mark is None or context.line != mark.line):
        where += f" (in what starts on line {context.line + 1})"
    return where


def parse_model(text: str, model: type[M], origin: str, codes: tuple[str, str], error: type[Exception]) -> M:
    """``text`` (YAML or JSON) validated as ``model``; ``error`` with ``codes[0]`` for bad YAML and
    ``codes[1]`` for an invalid entry, each naming ``origin``, the line and the reason."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{codes[0]}: {origin}: {error_where(exc)}: invalid YAML: {exc}") from exc
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line = line_of(text, loc)
        where = f"line {line}" if line else "top level"
        path = ".".join(str(p) for p in loc)
        raise error(f"{codes[1]}: {origin}: {where}: {path}: {err['msg']}") from exc


def read_text(path: Path, code: str, what: str, error: type[Exception]) -> str:
    """The text of a user's file; ``error`` with ``code`` naming the file when it cannot be read."""
    try:
        return path.read_text("utf-8")
    except OSError as exc:
        raise error(f"{code}: {path}: cannot read {what}: {exc}") from exc
