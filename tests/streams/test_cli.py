"""The CLI: help everywhere, offline processing through the command line."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from streams.cli import main

COMMANDS = [
    [],
    ["broker"],
    ["worker"],
    ["produce"],
    ["tail"],
    ["process"],
    ["demo"],
    ["schemas"],
    ["schemas", "export"],
    ["bench"],
    ["bench", "cleaning"],
    ["bench", "extraction"],
    ["eval"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "wirewatch")
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_process_writes_one_file_per_output_topic(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"id": "x1", "text": "Police detained two journalists in Tbilisi on Monday."}\n{bad json\n')
    result = CliRunner().invoke(main, ["process", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["alerts.jsonl", "articles.clean.jsonl", "articles.deadletter.jsonl", "events.jsonl"]
    clean = (tmp_path / "out" / "articles.clean.jsonl").read_bytes().splitlines()
    dead = (tmp_path / "out" / "articles.deadletter.jsonl").read_bytes().splitlines()
    assert [orjson.loads(line)["id"] for line in clean] == ["x1"]
    assert [orjson.loads(line)["reason"] for line in dead] == ["invalid_json"]


def test_process_reports_a_missing_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["process", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "I001" in result.output


def test_process_stops_at_start_on_a_bad_actors_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "actors.yaml"
    bad.write_text("organisations:\n  - name: Acme\n    sector: BUS\n", encoding="utf-8")
    source = tmp_path / "in.txt"
    source.write_text("Police detained two journalists in Tbilisi on Monday.", encoding="utf-8")
    monkeypatch.setenv("WIREWATCH_ACTORS_FILE", str(bad))
    result = CliRunner().invoke(main, ["process", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "A003" in result.output and "line 2" in result.output
    assert not (tmp_path / "out").exists()


def test_worker_stops_at_start_on_a_bad_actors_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIREWATCH_ACTORS_FILE", str(tmp_path / "missing.yaml"))
    result = CliRunner().invoke(main, ["worker", "--broker", "kafka://127.0.0.1:1"])
    assert result.exit_code != 0
    assert "A001" in result.output
