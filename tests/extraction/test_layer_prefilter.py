"""The stage codes only sentences that can hold an event, and that changes no event."""

from __future__ import annotations

import pytest

from schemas.articles import CleanArticle
from streams.extraction import stage
from tests.extraction.conftest import CODED_AT, make_article

TEXTS = [
    "Israel launched strikes on Iran on Friday.\n\nThe strikes hit Natanz and Tabriz. The attack was condemned.",
    "The recipe needs two eggs. Bake it for an hour.\n\nServe warm on Sunday.",
    "Officials said talks would resume next week. Russian President Vladimir Putin spoke to Iranian "
    "President Masoud Pezeshkian by phone.\n\nHe condemned the attacks, the Kremlin said on Saturday.",
]


def _everything(article: CleanArticle, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    with monkeypatch.context() as m:
        m.setattr(stage, "PREFILTER", False)
        return [e.model_dump() for e in stage.extract(article, coded_at=CODED_AT)]


@pytest.mark.parametrize("text", TEXTS, ids=["inherited-noun", "no-actors", "leaders"])
def test_layer_prefilter_keeps_every_event_of_a_short_article(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    article = make_article(text)
    assert [e.model_dump() for e in stage.extract(article, coded_at=CODED_AT)] == _everything(article, monkeypatch)


def test_layer_prefilter_keeps_every_event_of_the_seed(
    seed_article: CleanArticle, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = [e.model_dump() for e in stage.extract(seed_article, coded_at=CODED_AT)]
    assert events and events == _everything(seed_article, monkeypatch)


def test_layer_prefilter_skips_a_sentence_without_actor_or_predicate() -> None:
    article = make_article("The recipe needs two eggs.\n\nIsrael struck Iran.")
    parsed, codable = stage._split(article.paragraphs)
    assert [s.index for s in parsed] == [0, 1]
    assert [s.index for s in codable] == [1]
    assert not parsed[0].span.doc.has_annotation("LEMMA")  # its paragraph never met the lemmatizer
