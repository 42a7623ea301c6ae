"""Shared fixtures for the clean-stage tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The repository sits next to ../shared; WIREWATCH_EVAL_DIR overrides that.
EVAL_DIR = Path(os.environ.get("WIREWATCH_EVAL_DIR", Path(__file__).resolve().parents[3] / "shared" / "eval"))


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    """../shared/eval, skipping when the evaluation data is not mounted."""
    if not EVAL_DIR.is_dir():
        pytest.skip(f"evaluation data not found at {EVAL_DIR}")
    return EVAL_DIR


@pytest.fixture(scope="session")
def seed_text(eval_dir: Path) -> str:
    """The raw seed article (English news + "X" + Turkish cookie notice)."""
    return (eval_dir / "seed_article.txt").read_text(encoding="utf-8")
