"""Exact and near-duplicate articles within a sliding window, over an injected key-value store.

Exact duplicates share the content hash. Near duplicates (the same wire story with other
furniture, a changed headline or a few edited sentences) are found with MinHash over
5-word shingles (datasketch) and locality-sensitive hashing: the signature is cut into
bands, every band lists the articles that had it, and candidates sharing a band are
confirmed by their estimated Jaccard similarity. The banding is written here rather than
using datasketch's MinHashLSH because what it derives from must live in a Faust table
(changelog-backed, survives restarts) and in a dict offline — the store is injected.

Keys in the store (values are orjson bytes, each with the time ``t`` it was seen):
``h:<content hash>`` → first article with that body; ``s:<id>`` → MinHash signature;
``a:<id>`` → the verdict given to the article, so a re-delivered article gets the same
answer instead of matching itself. The band lists are not in the store: ``DuplicateIndex``
derives them from the ``s:`` signatures and keeps them in memory (``b:`` keys written by
earlier versions are ignored and expire with the window).
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

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
#: Candidates whose signatures are compared per article, those sharing the most bands first:
#: a story many outlets repeat puts up to BANDS × MAX_BAND_ENTRIES articles in the band lists
#: (~50 ms of comparing), while a near duplicate (similarity ≥ 0.5) shares ~4 of 32 bands and
#: one below it rarely more than one.
MAX_NEAR_CANDIDATES = 32
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


def encode_signature(fp: Fingerprint) -> bytes:
    """The signature as bytes, for the cleaned record's header (the clean stage's child
    process computes it, so the deduplicate agent's event loop does not)."""
    return orjson.dumps(list(fp.signature))


def decode_signature(raw: bytes | None, content_hash: str) -> Fingerprint | None:
    """A header written by ``encode_signature`` as a Fingerprint; None when absent or malformed."""
    if raw is None:
        return None
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(value, list) or len(value) not in (0, NUM_PERM):
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**64 for v in value):
        return None
    return Fingerprint(content_hash, tuple(value))


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


def band_keys(signature: tuple[int, ...]) -> list[int]:
    """One key per LSH band of the signature (the band's number and rows, hashed: an int
    hash is the same in every process, and a collision only adds a candidate to confirm)."""
    return [hash((band, *signature[band * ROWS : (band + 1) * ROWS])) for band in range(BANDS)]


def _load(store: KeyValueStore, key: str) -> object:
    raw = store.get(key)
    return orjson.loads(raw) if raw is not None else None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The detector's answer for one article."""

    duplicate_of: str | None
    kind: str | None  # "exact", "near" or None
    similarity: float


class DuplicateIndex:
    """What the detector remembers: the store's records, and the band lists derived from them.

    Only three records per article go to the store (``h:``, ``s:``, ``a:``). The 32 band
    lists are kept in memory, rebuilt from the ``s:`` signatures (``rebuild``) whenever the
    store may have changed behind this object's back — in the stream, after a rebalance,
    when Faust has recovered the table from its changelog. In the store they were 32 more
    changelog records per article, each one produce request to the broker when producers
    sent one record per batch (``WIREWATCH_PRODUCER_MAX_BATCH_BYTES=1``, then the default): a
    worker processed ~30 % more articles per second without them (``wirewatch bench pipeline``).

    Band entries leave memory with their articles' records (``expire_before``, a heap by time),
    so the lists stay bounded by the window's articles like the store.
    """

    def __init__(self, store: KeyValueStore) -> None:
        self.store = store
        self._bands: dict[int, list[tuple[str, float]]] = {}
        self._expiry: list[tuple[float, str, tuple[int, ...]]] = []  # heap of (t, id, band keys)

    def rebuild(self, items: Iterable[tuple[str, bytes]], *, cutoff: float = float("-inf")) -> int:
        """Forget the band lists and derive them again from the store's ``s:`` records (in the
        store's order); returns the articles indexed."""
        self._bands.clear()
        self._expiry.clear()
        indexed = 0
        for key, raw in items:
            if not key.startswith("s:"):
                continue
            try:
                value = orjson.loads(raw)
                t, sig = float(value["t"]), tuple(int(v) for v in value["sig"])
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                continue
            if t >= cutoff and sig:
                self._add(key[2:], sig, t, cutoff)
                indexed += 1
        return indexed

    def bands_held(self) -> int:
        """Band lists in memory (what ``expire_before`` keeps bounded)."""
        return len(self._bands)

    def check_and_record(
        self,
        article_id: str,
        fp: Fingerprint,
        seen_at: datetime,
        *,
        window: timedelta,
        threshold: float,
    ) -> Verdict:
        """Whether the article repeats one seen within ``window`` before ``seen_at`` (the article's
        own time, so a late report still finds its original); records it either way."""
        store = self.store
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
            verdict = self._near(article_id, fp, cutoff, threshold)

        if not (isinstance(exact, dict) and exact["t"] >= cutoff):
            store[f"h:{fp.content_hash}"] = orjson.dumps({"id": article_id, "t": now})
        if fp.signature:
            store[f"s:{article_id}"] = orjson.dumps({"sig": list(fp.signature), "t": now})
            self._add(article_id, fp.signature, now, cutoff)
        store[f"a:{article_id}"] = orjson.dumps(
            {"dup": verdict.duplicate_of, "kind": verdict.kind, "sim": verdict.similarity, "t": now}
        )
        return verdict

    def _add(self, article_id: str, signature: tuple[int, ...], t: float, cutoff: float) -> None:
        keys = tuple(band_keys(signature))
        for key in keys:
            entries = [e for e in self._bands.get(key, ()) if e[1] >= cutoff and e[0] != article_id]
            entries.append((article_id, t))
            self._bands[key] = entries[-MAX_BAND_ENTRIES:]
        heapq.heappush(self._expiry, (t, article_id, keys))

    def expire_before(self, cutoff: datetime) -> None:
        """Drop the band entries of articles seen before ``cutoff``: call it when the store drops
        their records (the stream's periodic clean-up, by the wall clock), so both hold the
        same articles. Not by the articles' own times: a report dated weeks back, arriving
        late, must still find its original."""
        self._expire(cutoff.timestamp())

    def _expire(self, cutoff: float) -> None:
        while self._expiry and self._expiry[0][0] < cutoff:
            t, article_id, keys = heapq.heappop(self._expiry)
            for key in keys:
                entries = self._bands.get(key)
                if entries is None:
                    continue
                kept = [e for e in entries if e != (article_id, t)]
                if kept:
                    self._bands[key] = kept
                else:
                    del self._bands[key]

    def _near(self, article_id: str, fp: Fingerprint, cutoff: float, threshold: float) -> Verdict:
        candidates: dict[str, float] = {}
        shared: Counter[str] = Counter()
        for key in band_keys(fp.signature):
            for cid, t in self._bands.get(key, ()):
                if t >= cutoff and cid != article_id:
                    candidates[cid] = t
                    shared[cid] += 1
        # the most shared bands first, then the earliest
        ranked = sorted(candidates, key=lambda c: (-shared[c], candidates[c]))[:MAX_NEAR_CANDIDATES]
        best: tuple[float, float, str] | None = None
        for cid in ranked:
            t = candidates[cid]
            stored = _load(self.store, f"s:{cid}")
            if not isinstance(stored, dict):
                continue
            sim = similarity(fp.signature, tuple(stored["sig"]))
            # Highest similarity wins; among equals, the earliest article.
            if sim >= threshold and (best is None or (sim, -t) > (best[0], -best[1])):
                best = (sim, t, cid)
        if best is None:
            return Verdict(None, None, 0.0)
        return Verdict(_root(self.store, best[2]), "near", round(best[0], 4))


def _root(store: KeyValueStore, article_id: str) -> str:
    """The original a duplicate points to (chains collapse to their first article)."""
    verdict = _load(store, f"a:{article_id}")
    if isinstance(verdict, dict) and isinstance(verdict.get("dup"), str):
        return str(verdict["dup"])
    return article_id


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
