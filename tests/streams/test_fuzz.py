"""The atheris harness without atheris: its inputs, its checks on the seeds, its log parsing and its command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from streams import fuzz
from streams.cli import main

LOG = """\
INFO: Seed: 123
#2\tINITED cov: 900 ft: 2000 corp: 30/90Kb exec/s: 0 rss: 170Mb
#4096\tpulse  cov: 1300 ft: 5000 corp: 400/1Mb lim: 4096 exec/s: 60 rss: 180Mb
#4100\tNEW    cov: 1301 ft: 5002 corp: 401/1Mb lim: 4096 exec/s: 60 rss: 180Mb L: 20/4096 MS: 1 CopyPart-
==1== ERROR: libFuzzer: deadly signal
artifact_prefix='.fuzz/clean/artifacts/'; Test unit written to .fuzz/clean/artifacts/crash-abc
Done 4100 runs in 61 second(s)
"""


def test_fuzz_command_has_help() -> None:
    result = CliRunner().invoke(main, ["fuzz", "--help"])
    assert result.exit_code == 0, result.output
    assert "clean|extract|handlers" in result.output


def test_log_gives_executions_coverage_and_crash_files() -> None:
    report = fuzz.parse_log("clean", LOG)
    assert (report.executions, report.coverage, report.features, report.corpus) == (4100, 1301, 5002, 401)
    assert report.crashes == [".fuzz/clean/artifacts/crash-abc"]
    assert report.found


def test_every_clean_seed_passes_the_check() -> None:
    # (the extract and handlers seeds need the NLP model; the fuzzer runs every seed first anyway)
    seeds = list(fuzz.seeds("clean"))
    assert len(seeds) >= 30
    for data in seeds:
        fuzz.check_clean(data)


@pytest.mark.parametrize("target", fuzz.TARGETS)
def test_seeds_fit_the_input_cap(target: str) -> None:
    assert all(len(data) <= fuzz.MAX_LEN[target] for data in fuzz.seeds(target))


@pytest.mark.parametrize("data", [b"", b"\x00", b"\x01", b"\x01   ", b"\x03\xff\xfe<", b"\x02title only"])
def test_degenerate_inputs_are_no_finding(data: bytes) -> None:
    fuzz.check_clean(data)
    fuzz.check_handlers(data)


def test_reproduce_runs_one_saved_input(tmp_path: Path) -> None:
    crash = tmp_path / "crash-1"
    crash.write_bytes(b"\x01<html><body><p>Police detained two journalists in Tbilisi.</p></body></html>")
    result = CliRunner().invoke(main, ["fuzz", "clean", "--reproduce", str(crash)])
    assert result.exit_code == 0, result.output
    assert "no finding" in result.output


def test_without_atheris_the_command_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fuzz, "atheris_available", lambda: False)
    result = CliRunner().invoke(main, ["fuzz", "clean", "--seconds", "1"])
    assert result.exit_code != 0
    assert "pip install -e '.[fuzz]'" in result.output
