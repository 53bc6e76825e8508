"""Records and type hits of a loaded snapshot, parsed only when a row is read.

A loaded index keeps its ``<side>s.jsonl`` memory-mapped (pages shared by all
worker processes) with an array of line offsets, and parses a row the first
time it is needed: the top rows of a ranking for their explanations, a
record asked for by id. Parsed rows are kept in a bounded cache. Iterating
(refit, save, compaction after upserts) parses every row once.
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from matching.scoring import TypeHits

CACHE_ROWS = 4096


class LazyRows:
    """The rows of one ``<side>s.jsonl``: ``records[i]`` and ``hits[i]`` views parse line ``i`` on demand."""

    def __init__(self, path: Path, offsets: np.ndarray, parse: Callable[[dict], Any]) -> None:
        with open(path, "rb") as fh:  # the map keeps its own handle on the file
            size = path.stat().st_size
            self._buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        if int(offsets[-1]) != size:
            raise ValueError(f"{path.name} does not match its line offsets")
        self._offsets = offsets
        self._parse = parse
        self.row = lru_cache(maxsize=CACHE_ROWS)(self._row)
        self.records = _View(self, 0)
        self.hits = _View(self, 1)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def _row(self, i: int) -> tuple[Any, TypeHits]:
        lo, hi = int(self._offsets[i]), int(self._offsets[i + 1])
        data = json.loads(self._buf[lo:hi].decode("utf-8"))
        return self._parse(data["record"]), TypeHits.from_dict(data["hits"])


class _View(Sequence):
    """``records`` (part 0) or ``hits`` (part 1) of :class:`LazyRows` as a read-only sequence."""

    def __init__(self, rows: LazyRows, part: int) -> None:
        self._rows, self._part = rows, part

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self._rows)
        i = int(i)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return self._rows.row(i)[self._part]

    def __iter__(self) -> Iterator:
        for i in range(len(self)):
            yield self[i]


def line_offsets(path: Path) -> np.ndarray:
    """Byte offsets of the lines of ``path`` (n + 1 values)."""
    offsets = [0]
    with open(path, "rb") as fh:
        for line in fh:
            offsets.append(offsets[-1] + len(line))
    return np.asarray(offsets, np.int64)
