"""``wirewatch bench extraction``: words, seconds and words/s per runner, on a small subset."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from streams.cli import main


def _aeb(tmp_path: Path) -> Path:
    bodies = {
        "a": {"articleBody": "Russia condemned Israel's strikes on Iran on Friday.\nTalks resume in Geneva next week."},
        "b": {"articleBody": "The recipe needs two eggs.\n\nBake it for an hour."},
        "c": {"articleBody": "Left out by --limit 2."},
    }
    (tmp_path / "ground-truth.json").write_text(json.dumps(bodies), encoding="utf-8")
    return tmp_path


def test_bench_extraction_prints_words_seconds_and_rates_for_one_repeat(tmp_path: Path) -> None:
    aeb = _aeb(tmp_path)
    result = CliRunner().invoke(main, ["bench", "extraction", "--aeb", str(aeb), "--repeat", "1", "--limit", "2"])
    assert result.exit_code == 0, result.output
    for label in ("spaCy NER alone (ner)", "tok2vec+ner", "actor/place/date layer", "extract stage", "median"):
        assert label in result.output
    assert "articles/s" in result.output and "extract stage:" in result.output


def test_bench_extraction_json_has_medians_and_ratios(tmp_path: Path) -> None:
    aeb = _aeb(tmp_path)
    args = ["bench", "extraction", "--aeb", str(aeb), "--repeat", "1", "--limit", "2", "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["articles"] == 2
    assert figures["words"] == 24
    assert set(figures["median_words_per_s"]) == {"ner", "ner_tok2vec", "layer", "stage"}
    assert all(rate > 0 for rate in figures["median_words_per_s"].values())
    assert set(figures["ratio_to_ner"]) == {"ner_tok2vec", "layer", "stage"}
    assert [t["runner"] for t in figures["timings"]] == ["ner", "ner_tok2vec", "layer", "stage"]
    assert set(figures["median_articles_per_s"]) == {"ner", "ner_tok2vec", "layer", "stage"}
    assert all(t["articles"] == 2 and t["articles_per_s"] > 0 for t in figures["timings"])


def test_bench_extraction_prints_the_layer_ratio_to_ner_alone(tmp_path: Path) -> None:
    aeb = _aeb(tmp_path)
    args = ["bench", "extraction", "--aeb", str(aeb), "--repeat", "1", "--limit", "3", "--skip-stage"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "layer / NER alone (ner):" in result.output
    assert "extract stage" not in result.output
