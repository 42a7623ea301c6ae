"""The clean stage's per-article classification memo gives ``classify``'s answers."""

from __future__ import annotations

from streams.cleaning.bench_text import DEFAULT_SET, load_set
from streams.cleaning.furniture import Verdicts, classify
from streams.cleaning.normalise import normalise_text, split_paragraphs


def test_verdicts_equal_classify_in_either_order_on_the_furniture_set() -> None:
    paragraphs = [p for record in load_set(DEFAULT_SET) for p in split_paragraphs(normalise_text(str(record["text"])))]
    edge_first, inner_first = Verdicts(), Verdicts()
    for p in paragraphs:
        expected = {edge: classify(p, at_edge=edge) for edge in (True, False)}
        assert {edge: edge_first(p, at_edge=edge) for edge in (True, False)} == expected, p
        assert {edge: inner_first(p, at_edge=edge) for edge in (False, True)} == expected, p
        assert edge_first(p, at_edge=False) == expected[False]  # remembered


def test_a_paragraph_furniture_only_at_an_edge_is_asked_again_inside() -> None:
    notice = "We use cookies to improve your experience on our website and to show you personalised content."
    verdicts = Verdicts()
    assert verdicts(notice, at_edge=True) == classify(notice, at_edge=True) == "cookie_notice"
    assert verdicts(notice, at_edge=False) == classify(notice, at_edge=False)
