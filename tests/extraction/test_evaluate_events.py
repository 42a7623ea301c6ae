"""``wirewatch eval events``: the PLOVER and PETRARCH scorers on hand-made cases, and short real runs."""

from __future__ import annotations

from typing import Any

from streams.extraction import actors, coder
from streams.extraction.evaluate_events import (
    PLOVER,
    Coded,
    in_split,
    load,
    main,
    run_petrarch,
    run_plover,
    score_petrarch,
    score_plover,
    split_of,
)


def _ev(code: str, plover: str | None, src: str, tgt: str | None, conf: float = 0.9) -> Coded:
    return Coded(code, plover, src, tgt, src[:3], tgt[:3] if tgt else None, conf)


def _plover(event: str, source: list[str], target: list[str]) -> dict[str, Any]:
    return {"event_polecat": event, "source": [{"code": c} for c in source], "target": [{"code": c} for c in target]}


def _petrarch(expected: list[tuple[str, str, str]], category: str = "DEMO") -> dict[str, Any]:
    return {"expected": [{"source": s, "target": t, "code": c} for s, t, c in expected], "category": category}


def test_plover_type_is_the_most_confident_events() -> None:
    rec = _plover("AGREE", [], [])
    result = score_plover([(rec, [_ev("111", "ACCUSE", "KEN", None, 0.5), _ev("057", "AGREE", "KEN", None, 0.9)])])
    assert result["type_accuracy"] == 1.0


def test_plover_no_event_is_wrong() -> None:
    result = score_plover([(_plover("AGREE", ["KEN"], []), [])])
    assert result["type_accuracy"] == 0.0 and result["full_match"] == 0.0 and result["source"]["recall"] == 0.0


def test_plover_countries_count_every_event_of_the_primary_type() -> None:
    rec = _plover("AGREE", ["HUN", "ROU"], [])
    result = score_plover([(rec, [_ev("057", "AGREE", "HUNGOV", None), _ev("057", "AGREE", "DEUGOV", None, 0.5)])])
    assert result["source"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5}


def test_plover_cameo_country_codes_map_to_iso3() -> None:
    result = score_plover([(_plover("CONSULT", ["JAP"], []), [_ev("040", "CONSULT", "JPNGOV", None)])])
    assert result["source"]["precision"] == 1.0


def test_plover_full_match_needs_type_and_the_gold_roles() -> None:
    rec = _plover("ASSAULT", ["ISR"], ["IRN"])
    right = score_plover([(rec, [_ev("195", "ASSAULT", "ISRMIL", "IRN")])])
    wrong_target = score_plover([(rec, [_ev("195", "ASSAULT", "ISRMIL", "SYR")])])
    assert right["full_match"] == 1.0 and wrong_target["full_match"] == 0.0


def test_petrarch_exact_pass_needs_the_same_set_of_triples() -> None:
    rec = _petrarch([("ARN", "GON", "064")])
    assert score_petrarch([(rec, [_ev("064", None, "ARN", "GON")])])["exact_pass"] == 1.0
    extra = [_ev("064", None, "ARN", "GON"), _ev("111", None, "ARN", "GON")]
    assert score_petrarch([(rec, extra)])["exact_pass"] == 0.0


def test_petrarch_loose_pass_cuts_actors_and_codes() -> None:
    rec = _petrarch([("ARNGOV", "GONCOP", "064")])
    result = score_petrarch([(rec, [_ev("061", None, "ARN", "GONMIL")])])
    assert result["exact_pass"] == 0.0 and result["loose_pass"] == 1.0


def test_petrarch_no_event_sentences_must_yield_none() -> None:
    rec = _petrarch([])
    result = score_petrarch([(rec, []), (rec, [_ev("010", None, "ARN", None), _ev("020", None, "ARN", None)])])
    assert result["exact_pass"] == 0.5
    assert result["events_per_no_event_sentence"] == 1.0 and result["no_event_sentences_with_events"] == 0.5


def test_petrarch_missing_target_is_dashes() -> None:
    rec = {"expected": [{"source": "ARN", "target": "---", "code": "010"}], "category": "X"}
    assert score_petrarch([(rec, [_ev("010", None, "ARN", None)])])["by_category"]["X"]["exact_pass"] == 1.0


def test_plover_run_has_its_fields() -> None:
    # measured on the first 40 records: type 0.375, source F1 0.72, target F1 0.48, full 0.2
    result = run_plover(limit=40)
    assert result["sentences"] == 40
    assert set(result) == {"sentences", "type_accuracy", "full_match", "source", "target"}
    assert result["type_accuracy"] >= 0.25 and result["source"]["f1"] >= 0.5


def test_petrarch_run_has_its_fields_and_restores_the_configuration() -> None:
    before_actors, before_patterns = actors._configured[0], coder._patterns_configured[0]
    result = run_petrarch(limit=40)
    assert result["records"] == 40 and "DEMO" in result["by_category"]
    assert {"exact_pass", "loose_pass", "events_per_no_event_sentence"} <= set(result)
    # measured on the first 40 default-run records: exact 0.025, loose 0.025 (all 281: 0.093 / 0.096)
    assert 0.0 <= result["exact_pass"] <= result["loose_pass"]
    assert actors._configured[0] is before_actors and coder._patterns_configured[0] is before_patterns


def test_the_command_prints_a_table_and_json(capsys: Any) -> None:
    assert main(["--limit", "3", "--json"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any("type_accuracy" in line for line in out) and any("exact_pass" in line for line in out)
    assert out[-1].startswith("{")


def test_split_is_a_deterministic_partition_by_record_id() -> None:
    records = load(PLOVER)
    dev, held = in_split(records, "dev"), in_split(records, "held-out")
    assert len(dev) + len(held) == len(records) and in_split(records, "all") == records
    assert not {r["id"] for r in dev} & {r["id"] for r in held}
    assert 0.35 < len(dev) / len(records) < 0.65  # roughly even halves
    assert split_of({"id": "x", "text": "other"}) == split_of({"id": "x"})  # keyed by id only
    assert all(split_of(r) == "dev" for r in dev)


def test_split_option_limits_the_run(capsys: Any) -> None:
    assert main(["--limit", "2", "--split", "held-out", "--json"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "split: held-out" and '"split": "held-out"' in out[-1]
