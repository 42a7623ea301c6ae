"""Exact and near-duplicate articles within a sliding window, over an injected key-value store.

Exact duplicates share the content hash. Near duplicates (the same wire story with other
furniture, a changed headline or a few edited sentences) are found with MinHash over
5-word shingles (datasketch) and locality-sensitive hashing: the signature is cut into
bands, every band is a store key listing the articles that had that band, and candidates
sharing a band are confirmed by their estimated Jaccard similarity. The banding is written
here rather than using datasketch's MinHashLSH because the index must live in a Faust
table (changelog-backed, survives restarts) and in a dict offline — the store is injected.

Keys in the store (values are orjson bytes, each with the time ``t`` it was seen):
``h:<content hash>`` → first article with that body; ``s:<id>`` → MinHash signature;
``b:<band>:<hash>`` → articles with that band; ``a:<id>`` → the verdict given to the
article, so a re-delivered article gets the same answer instead of matching itself.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import numpy as np
import orjson
from datasketch import MinHash

from streams.kvstore import KeyValueStore

SHINGLE_WORDS = 5
NUM_PERM = 96
BANDS = 32
ROWS = NUM_PERM // BANDS
#: Articles kept per band key; a band shared by more is boilerplate, not a story.
MAX_BAND_ENTRIES = 64
#: Word tokens hashed per article: bodies are bounded upstream, this bounds the work further.
MAX_TOKENS = 20_000

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the detector compares: the exact hash and, for bodies long enough, a MinHash signature."""

    content_hash: str
    signature: tuple[int, ...]


def fingerprint(text: str, content_hash: str) -> Fingerprint:
    """Signature of the body's 5-word shingles (case-folded); empty when the body is shorter than one shingle."""
    tokens = [t.casefold() for t in _WORD.findall(text)[:MAX_TOKENS]]
    if len(tokens) < SHINGLE_WORDS:
        return Fingerprint(content_hash, ())
    shingles = {" ".join(tokens[i : i + SHINGLE_WORDS]).encode() for i in range(len(tokens) - SHINGLE_WORDS + 1)}
    minhash = _empty_minhash().copy()  # shares the permutations instead of drawing them again
    minhash.update_batch(sorted(shingles))
    return Fingerprint(content_hash, tuple(int(v) for v in minhash.hashvalues))


@cache
def _empty_minhash() -> MinHash:
    """The empty signature; its permutations come from a seeded generator, so every article's
    copy hashes alike (drawing them per article was ~0.5 ms)."""
    return MinHash(num_perm=NUM_PERM, seed=1)


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if not a or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


def band_keys(signature: tuple[int, ...]) -> list[str]:
    """One store key per LSH band of the signature."""
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(orjson.dumps(rows), digest_size=8).hexdigest()
        keys.append(f"b:{band}:{digest}")
    return keys


def _load(store: KeyValueStore, key: str) -> object:
    raw = store.get(key)
    return orjson.loads(raw) if raw is not None else None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The detector's answer for one article."""

    duplicate_of: str | None
    kind: str | None  # "exact", "near" or None
    similarity: float


def check_and_record(
    article_id: str,
    fp: Fingerprint,
    seen_at: datetime,
    store: KeyValueStore,
    *,
    window: timedelta,
    threshold: float,
) -> Verdict:
    """Whether the article repeats one seen within ``window`` before ``seen_at``; records it either way."""
    now = seen_at.timestamp()
    cutoff = now - window.total_seconds()
    previous = _load(store, f"a:{article_id}")
    if isinstance(previous, dict):  # a re-delivery: give the same answer as the first time
        return Verdict(previous.get("dup"), previous.get("kind"), float(previous.get("sim", 0.0)))

    verdict = Verdict(None, None, 0.0)
    exact = _load(store, f"h:{fp.content_hash}")
    if isinstance(exact, dict) and exact["t"] >= cutoff and exact["id"] != article_id:
        verdict = Verdict(_root(store, exact["id"]), "exact", 1.0)
    elif fp.signature:
        verdict = _near(article_id, fp, store, cutoff, threshold)

    if not (isinstance(exact, dict) and exact["t"] >= cutoff):
        store[f"h:{fp.content_hash}"] = orjson.dumps({"id": article_id, "t": now})
    if fp.signature:
        store[f"s:{article_id}"] = orjson.dumps({"sig": list(fp.signature), "t": now})
        for key in band_keys(fp.signature):
            entries = [e for e in _entries(store, key) if e["t"] >= cutoff and e["id"] != article_id]
            entries.append({"id": article_id, "t": now})
            store[key] = orjson.dumps(entries[-MAX_BAND_ENTRIES:])
    store[f"a:{article_id}"] = orjson.dumps(
        {"dup": verdict.duplicate_of, "kind": verdict.kind, "sim": verdict.similarity, "t": now}
    )
    return verdict


def _entries(store: KeyValueStore, key: str) -> list[dict[str, Any]]:
    value = _load(store, key)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _root(store: KeyValueStore, article_id: str) -> str:
    """The original a duplicate points to (chains collapse to their first article)."""
    verdict = _load(store, f"a:{article_id}")
    if isinstance(verdict, dict) and isinstance(verdict.get("dup"), str):
        return str(verdict["dup"])
    return article_id


def _near(article_id: str, fp: Fingerprint, store: KeyValueStore, cutoff: float, threshold: float) -> Verdict:
    candidates: dict[str, float] = {}
    for key in band_keys(fp.signature):
        for entry in _entries(store, key):
            cid, t = entry.get("id"), entry.get("t")
            if isinstance(cid, str) and isinstance(t, int | float) and t >= cutoff and cid != article_id:
                candidates[cid] = float(t)
    best: tuple[float, float, str] | None = None
    for cid, t in candidates.items():
        stored = _load(store, f"s:{cid}")
        if not isinstance(stored, dict):
            continue
        sim = similarity(fp.signature, tuple(stored["sig"]))
        # Highest similarity wins; among equals, the earliest article.
        if sim >= threshold and (best is None or (sim, -t) > (best[0], -best[1])):
            best = (sim, t, cid)
    if best is None:
        return Verdict(None, None, 0.0)
    return Verdict(_root(store, best[2]), "near", round(best[0], 4))


def expired_keys(items: Iterable[tuple[str, bytes]], now: datetime, window: timedelta) -> Iterator[str]:
    """Keys whose every record is older than the window, for the periodic clean-up of the store."""
    cutoff = now.timestamp() - window.total_seconds()
    for key, raw in items:
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:
            yield key
            continue
        if isinstance(value, dict):
            if float(value.get("t", 0)) < cutoff:
                yield key
        elif isinstance(value, list) and all(float(e.get("t", 0)) < cutoff for e in value if isinstance(e, dict)):
            yield key
