"""Date resolution: the scorer's arithmetic, a few rules directly, and the dated-sentence set."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from streams.extraction import dates, evaluate_dates
from streams.extraction.language import nlp

SET_FLOOR = 0.95  # measured 1.000 (143/143) when the set was written; see the report


def test_report_tallies_categories_and_misses() -> None:
    report = evaluate_dates.Report()
    report.add("a", True, {"id": 1})
    miss = {"id": 2, "expected": "2025-06-13", "got": "2025-06-12", "sentence": "s"}
    report.add("a", False, miss)
    report.add("b", True, {"id": 3})
    out = report.as_dict()
    assert (out["records"], out["correct"], out["accuracy"]) == (3, 2, 0.6667)
    assert out["by_category"]["a"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert out["misses"] == [miss]
    assert evaluate_dates.Tally().accuracy == 0.0
    assert "overall" in evaluate_dates.table(report) and "miss 2" in evaluate_dates.table(report)


def test_main_json_is_one_object_on_the_last_line(
    warmed: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "set.jsonl"
    rows = [
        {
            "id": "x1",
            "category": "c",
            "sentence": "It rained on Friday.",
            "published_at": "2025-06-16T08:00:00+00:00",
            "expected_date": "2025-06-13",
        },
        {
            "id": "x2",
            "category": "c",
            "sentence": "It rained.",
            "published_at": "2025-06-16T08:00:00+00:00",
            "expected_date": "2025-06-01",
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    assert evaluate_dates.main([str(path), "--json"]) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (last["records"], last["correct"]) == (2, 1)
    assert last["misses"][0]["got"] == "2025-06-16"


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("They met on Friday.", "2025-06-13T18:00:00+00:00", date(2025, 6, 13)),
        ("They will meet on Monday.", "2025-06-13T18:00:00+00:00", date(2025, 6, 16)),
        ("They are due to meet on Friday.", "2025-06-13T08:00:00+00:00", date(2025, 6, 13)),
        ("It happened yesterday.", "2025-06-14T00:30:00+03:00", date(2025, 6, 13)),
        ("The vote was held on December 30.", "2025-01-02T10:00:00+00:00", date(2024, 12, 30)),
        ("The vote will be held on January 3.", "2024-12-20T10:00:00+00:00", date(2025, 1, 3)),
        ("It was signed on 06/07/2025.", "2025-07-08T10:00:00+00:00", date(2025, 7, 6)),
        ("Sunday Times reporters were barred.", "2025-06-13T18:00:00+00:00", date(2025, 6, 13)),
    ],
)
def test_predict(warmed: None, sentence: str, published: str, expected: date) -> None:
    assert evaluate_dates.predict(sentence, datetime.fromisoformat(published)) == expected


def test_precision_and_reporting_flags(warmed: None) -> None:
    found = dates.find(nlp()("The ministry said on Friday that prices rose last week.")[:], date(2025, 6, 13))
    assert [(d.value, d.precision, d.reporting) for d in found] == [
        (date(2025, 6, 13), "day", True),
        (date(2025, 6, 2), "week", False),
    ]
    main = dates.primary(found)
    assert main is not None and main.value == date(2025, 6, 2)
    assert dates.primary([]) is None


def test_bounded_on_long_input(warmed: None) -> None:
    doc = nlp()("on Friday, " * 150)
    assert len(dates.find(doc[:], date(2025, 6, 13))) == dates.MAX_MENTIONS


def test_dated_sentence_set(warmed: None) -> None:
    records = evaluate_dates.load(evaluate_dates.DEFAULT_SET)
    assert len(records) >= 120
    assert {"id", "sentence", "published_at", "expected_date", "note"} <= set(records[0])
    report = evaluate_dates.score(records)
    assert report.overall.accuracy >= SET_FLOOR, report.misses
