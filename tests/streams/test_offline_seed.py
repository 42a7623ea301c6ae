"""`wirewatch process seed_article.txt --out OUT`: the acceptance example, offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from schemas import Alert, CleanArticle, Event
from streams.cli import main
from streams.corpus import sample_articles

SHARED_SEED = Path(__file__).resolve().parents[3] / "shared" / "eval" / "seed_article.txt"


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("seed")
    seed = tmp / "seed_article.txt"
    # The shared evaluation copy when present; the bundled corpus holds the same text.
    text = SHARED_SEED.read_text("utf-8") if SHARED_SEED.is_file() else sample_articles()[0].text
    assert text is not None
    seed.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["process", str(seed), "--out", str(tmp / "out")])
    assert result.exit_code == 0, result.output
    return tmp / "out"


def _read(path: Path, model: type[Event] | type[Alert] | type[CleanArticle]) -> list:  # type: ignore[type-arg]
    return [model.from_json(line) for line in path.read_bytes().splitlines() if line]


def test_clean_text_ends_at_friday_night(out_dir: Path) -> None:
    (article,) = _read(out_dir / "articles.clean.jsonl", CleanArticle)
    assert article.id == "seed_article"
    assert article.text.endswith("which started on Friday night.")


@pytest.mark.parametrize(
    ("root", "source", "target"),
    [("04", "RUS", "IRN"), ("04", "RUS", "ISR"), ("19", "ISR", "IRN"), ("11", "RUS", "ISR")],
    ids=["russia-iran-consult", "russia-israel-consult", "israel-iran-strikes", "russia-israel-condemn"],
)
def test_seed_event_is_coded(out_dir: Path, root: str, source: str, target: str) -> None:
    events = _read(out_dir / "events.jsonl", Event)
    assert any(
        e.root_code == root and e.source.country == source and e.target and e.target.country == target for e in events
    ), [(e.code, e.source.code, e.target.code if e.target else None) for e in events]


def test_strike_events_carry_the_four_cities(out_dir: Path) -> None:
    strikes = [e for e in _read(out_dir / "events.jsonl", Event) if e.root_code == "19" and e.source.country == "ISR"]
    assert {"Tehran", "Natanz", "Tabriz", "Isfahan"} <= {p.name for e in strikes for p in e.places}


def test_critical_alert_carries_sentence_and_article_url(out_dir: Path) -> None:
    alerts = _read(out_dir / "alerts.jsonl", Alert)
    critical = [a for a in alerts if a.severity == "critical"]
    assert critical
    evidence = critical[-1].evidence
    assert all(e.article_url and e.article_url.startswith("file://") for e in evidence)
    assert any("nuclear" in e.sentence for e in evidence)
