"""The README stays true: its first lines are the two commands, and every setting is documented."""

from __future__ import annotations

from pathlib import Path

from streams.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")


def test_readme_starts_with_the_demo_and_test_commands() -> None:
    head = README.splitlines()[:5]
    assert any(line.strip().startswith("make demo") for line in head)
    assert any(line.strip().startswith("make test") for line in head)


def test_every_setting_is_documented_in_the_readme() -> None:
    missing = [name for name in Settings.model_fields if f"`WIREWATCH_{name.upper()}`" not in README]
    assert not missing, f"document these in the README: {missing}"


def test_ci_runs_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text("utf-8")
    assert 'make PYTHON="$PYTHON" test' in ci
