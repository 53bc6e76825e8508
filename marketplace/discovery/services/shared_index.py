"""A worker's side of the shared ranking index (:mod:`marketplace.discovery.services.index` publishes it).

:class:`SharedIndex` maps the published snapshot, and before each ranking (1) stats ``CURRENT`` and swaps
to a newer snapshot, (2) applies, in memory, the committed changes after the snapshot's ``seq`` that it has
not applied yet. It calls the publishing side through its module (``published.build_full`` …), so a test
that replaces one of those functions there sees every use.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path

from flask import Flask, current_app
from sqlmodel import Session
from werkzeug.exceptions import ServiceUnavailable

from marketplace.discovery.services import changes
from marketplace.discovery.services import index as published
from matching import MatchIndex, MatchingError

logger = logging.getLogger(__name__)


class SharedIndex:
    """A worker's view of the shared index: the published snapshot plus the changes committed after it."""

    def __init__(self, directory: Path, *, build_if_missing: bool = False) -> None:
        self.directory = directory
        self.build_if_missing = build_if_missing
        self._lock = threading.Lock()
        self._index: MatchIndex | None = None
        self._name: str | None = None
        self._seq = 0
        self._empty = True
        self._applied: set[int] = set()
        self._seen_pointer: tuple | None = None
        #: Moves whenever the served index changes; remembered rankings hold for one version only.
        self.version = 0
        self._ranked: OrderedDict[tuple, list] = OrderedDict()
        self._ranked_version = 0

    @property
    def snapshot(self) -> tuple[str | None, int]:
        """The snapshot served (name, change number)."""
        return self._name, self._seq

    def load(self) -> None:
        """Map the published snapshot now (a worker at start), so the first request does not wait for it."""
        with self._lock:
            self._swap_if_newer()

    def index(self, session: Session) -> MatchIndex:
        with self._lock:
            self._swap_if_newer()
            if self._index is None:
                if not self.build_if_missing:
                    logger.error("no ranking index in %s: run `axbridge index refresh`", self.directory)
                    raise ServiceUnavailable()
                published.refresh_index(session, self.directory, job=False)
                self._swap_if_newer()
                if self._index is None:  # another process is writing the first one: wait for it
                    raise ServiceUnavailable()
            self._catch_up(session)
            return self._index

    def rank_offerings(self, session: Session, record, *, top: int, weights=None, filters=None) -> list:
        """The engine's offerings for ``record``, remembered per (record, weights, filters, depth) until the
        served index changes: a problem's page and its API answer the same ranking without ranking again."""
        index = self.index(session)
        try:
            key = (record, tuple(sorted(weights.items())) if weights else None, filters, top)
            hash(key)
        except TypeError:
            return index.rank_offerings(record, top=top, weights=weights, filters=filters)
        with self._lock:
            if self._ranked_version != self.version:
                self._ranked.clear()
                self._ranked_version = self.version
            version = self.version
            if key in self._ranked:
                self._ranked.move_to_end(key)
                return self._ranked[key]
        matches = index.rank_offerings(record, top=top, weights=weights, filters=filters)
        with self._lock:
            if version == self.version == self._ranked_version:
                self._ranked[key] = matches
                while len(self._ranked) > RANKED_CACHE_SIZE:
                    self._ranked.popitem(last=False)
        return matches

    def _swap_if_newer(self) -> None:
        try:
            st = os.stat(self.directory / published.POINTER)
        except FileNotFoundError:
            return
        seen = (st.st_ino, st.st_mtime_ns, st.st_size)
        if seen == self._seen_pointer:
            return
        pointer = published.read_pointer(self.directory)
        self._seen_pointer = seen
        if pointer is None or pointer["snapshot"] == self._name:
            return
        try:
            index = published.load_snapshot(self.directory, pointer["snapshot"])
        except MatchingError as exc:
            logger.error("ranking index snapshot refused, keeping %s: %s", self._name, exc)
            return
        self._index, self._name, self._seq = index, pointer["snapshot"], int(pointer["seq"])
        self._empty = index.offering_count + index.problem_count == 0
        self._applied = set()
        self.version += 1
        logger.info("ranking index snapshot %s loaded (change %d)", self._name, self._seq)

    def _catch_up(self, session: Session) -> None:
        rows = [row for row in changes.changes_after(session, self._seq) if row[0] not in self._applied]
        if not rows:
            return
        if self._empty:
            # Nothing fitted to score new records with: index what is there now, the same in every worker.
            self._index = published.build_full(session)
        else:
            published.apply_changes(session, self._index, ((kind, rid) for _s, kind, rid in rows))
        self.version += 1
        self._applied.update(seq for seq, _k, _r in rows)


#: Rankings of offerings remembered per process (each a few kB), dropped whenever the index changes.
RANKED_CACHE_SIZE = 256


def index_manager(app: Flask | None = None) -> SharedIndex:
    """This app's worker-side view of the shared index."""
    app = app or current_app
    manager = app.extensions.get("axbridge_index")
    if manager is None:
        manager = app.extensions.setdefault("axbridge_index", SharedIndex(
            published.index_dir(app), build_if_missing=app.config.get("ENV") != "production"))
    return manager
