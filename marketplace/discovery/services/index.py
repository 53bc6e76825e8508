"""One ranking index shared by every worker: a snapshot on disk, refreshed off the request path from the change log.

Layout of ``INDEX_DIR`` (``AXBRIDGE_INDEX_DIR``, default ``instance/index``)::

    CURRENT            {"snapshot": name, "seq": N, "since_full": n, ...}: the snapshot to serve and the last
                       change it folds in; replaced atomically (temporary file + rename)
    snapshots/<name>/  a :meth:`matching.MatchIndex.save` directory: a manifest with the SHA-256 of every file,
                       arrays that workers map read-only (``np.load(mmap_mode="r")``), so they share the pages
    .refresh.lock      one refresh at a time per directory

:func:`refresh_index` (``axbridge index refresh``, run by ``axbridge tick``) reads the changes after the
snapshot's ``seq``, re-reads those records, upserts or removes them and writes a new snapshot; when the changes
since the last full build exceed :data:`REFIT_SHARE` of the records it rebuilds (refits vocabulary and IDF)
instead. A snapshot that does not read back against its checksums is never published; a worker refuses a corrupt
one and keeps the index it has.

:class:`SharedIndex` (``shared_index.py``) is the worker's side: it loads the published snapshot,
and before each ranking (1) stats ``CURRENT`` and swaps to a newer snapshot, (2) applies, in memory, the committed changes after the snapshot's
``seq`` that it has not applied yet. So an edit is ranked by every worker's next ranking (delay: none beyond
the commit), and every worker ranks the same: the snapshot's fitted model scores an upserted record the same
way in every process, the index never refits on its own (``auto_refit`` off) and ties go by id. Requests never
build an index, with one exception: while the published snapshot is empty (a new installation) the pending
records are indexed from scratch, and in development and tests a missing snapshot is built by the first
ranking. In production a missing snapshot answers 503 until ``axbridge index refresh`` has run (``axbridge
serve`` runs it before starting gunicorn).

The index has the semantic channel (:func:`embedder`, multilingual-e5-small): offerings carry the vector stored
when they were written (:mod:`marketplace.offerings.services.embedding`), so neither a refresh nor a worker embeds
an offering that has one; the refresh job first embeds and stores the rows that have none. A problem's vector
comes from :func:`marketplace.discovery.services.records.problem_embedding`, once per text and process. A
snapshot built without the channel (or with another model) is refused on load and rebuilt by the next refresh.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from sqlmodel import Session, select

from marketplace.accounts.models import Organisation
from marketplace.discovery.services import changes
from marketplace.discovery.services.records import (
    RANKED_PROBLEM_STATES,
    is_indexed_offering,
    is_indexed_problem,
    offering_record,
    problem_record,
)
from marketplace.offerings import services as offerings_services
from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.problems.models import Problem
from matching import MatchIndex, MatchingError

logger = logging.getLogger(__name__)

POINTER = "CURRENT"
SNAPSHOTS = "snapshots"
#: Rebuild (refit) instead of upserting when the changes folded in since the last full build exceed this share.
REFIT_SHARE = 0.2
#: Snapshots kept on disk (a worker may still be reading the one before the newest).
KEEP_SNAPSHOTS = 3
_CHUNK = 500


def embedder():
    """The index's semantic channel: the embedder offerings are embedded with when written."""
    return offerings_services.embedder()


def index_dir(app: Flask | None = None) -> Path:
    app = app or current_app
    configured = app.config.get("INDEX_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "index"


# --- reading rows ---------------------------------------------------------------------------------


def build_full(session: Session) -> MatchIndex:
    """A fresh index of every active offering and every open problem, in id order."""
    offerings = session.exec(select(Offering).where(Offering.status == OfferingStatus.ACTIVE)
                             .order_by(Offering.id)).all()
    problems = session.exec(select(Problem, Organisation.region)
                            .join(Organisation, Organisation.id == Problem.organisation_id)
                            .where(Problem.state.in_(RANKED_PROBLEM_STATES)).order_by(Problem.id)).all()
    profiles = offerings_services.adjusted_profiles(session, offerings)
    index = MatchIndex.build([offering_record(o, profile=profiles[o.id]) for o in offerings],
                             [problem_record(p, r, embed=True) for p, r in problems], embedder=embedder())
    index.auto_refit = False
    logger.info("ranking index built: %d offerings, %d problems", len(offerings), len(problems))
    return index


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for lo in range(0, len(ids), _CHUNK):
        yield ids[lo:lo + _CHUNK]


def apply_changes(session: Session, index: MatchIndex, keys: Iterable[tuple[str, int]]) -> int:
    """Re-read the changed records and upsert (or remove) them, offerings then problems, each in id order."""
    keys = set(keys)
    offering_ids = sorted(rid for kind, rid in keys if kind == "offering")
    problem_ids = {rid for kind, rid in keys if kind == "problem"}
    org_ids = sorted(rid for kind, rid in keys if kind == "organisation")
    for chunk in _chunks(org_ids):
        problem_ids.update(session.exec(select(Problem.id).where(Problem.organisation_id.in_(chunk))))
        # a vendor's evidence moved: its offerings' evidence-adjusted profiles move with it
        offering_ids.extend(session.exec(select(Offering.id).where(Offering.organisation_id.in_(chunk))))
    offering_ids = sorted(set(offering_ids))
    for chunk in _chunks(offering_ids):
        rows = {o.id: o for o in session.exec(select(Offering).where(Offering.id.in_(chunk)))}
        profiles = offerings_services.adjusted_profiles(session, [o for o in rows.values() if is_indexed_offering(o)])
        for oid in chunk:
            offering = rows.get(oid)
            if is_indexed_offering(offering):
                index.upsert_offering(offering_record(offering, profile=profiles[oid]))
            else:
                index.remove_offering(oid)
    for chunk in _chunks(sorted(problem_ids)):
        rows = {p.id: (p, region) for p, region in session.exec(
            select(Problem, Organisation.region).join(Organisation, Organisation.id == Problem.organisation_id)
            .where(Problem.id.in_(chunk)))}
        for pid in chunk:
            problem, region = rows.get(pid, (None, None))
            if is_indexed_problem(problem):
                index.upsert_problem(problem_record(problem, region, embed=True))
            else:
                index.remove_problem(pid)
    return len(offering_ids) + len(problem_ids)


# --- the snapshot directory -----------------------------------------------------------------------


def read_pointer(directory: Path) -> dict | None:
    try:
        pointer = json.loads((directory / POINTER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        logger.error("ranking index pointer %s is unreadable: %s", directory / POINTER, exc)
        return None
    if not isinstance(pointer, dict) or not isinstance(pointer.get("snapshot"), str) or "seq" not in pointer:
        logger.error("ranking index pointer %s is not valid", directory / POINTER)
        return None
    return pointer


def _write_pointer(directory: Path, pointer: dict) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".CURRENT-", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(pointer, fh, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, directory / POINTER)


def load_snapshot(directory: Path, name: str) -> MatchIndex:
    """The snapshot, memory-mapped, after checking every file against its manifest (:class:`MatchingError`)."""
    index = MatchIndex.load(directory / SNAPSHOTS / name, embedder(), mmap=True, verify=True)
    index.auto_refit = False
    return index


@contextmanager
def _refresh_lock(directory: Path):
    with open(directory / ".refresh.lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass
class RefreshReport:
    seq: int = 0
    snapshot: str | None = None
    full: bool = False
    changed: int = 0
    offerings: int = 0
    problems: int = 0
    seconds: float = 0.0
    skipped: str | None = None

    def summary(self) -> str:
        if self.skipped:
            return f"ranking index: {self.skipped}"
        how = "rebuilt" if self.full else f"{self.changed} record(s) refreshed"
        return (f"ranking index {how} up to change {self.seq}: {self.offerings} offerings, {self.problems} problems "
                f"in {self.seconds:.2f} s ({self.snapshot})")


def refresh_index(session: Session, directory: Path, *, full: bool = False, job: bool = True) -> RefreshReport:
    """Fold the committed changes into a new snapshot and publish it (see the module doc).

    ``job``: run as the periodic job, in a session of its own: it commits right after reading the high-water
    mark (releasing PostgreSQL's advisory lock) and prunes the change log. A request (development) passes False.
    """
    started = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / SNAPSHOTS).mkdir(exist_ok=True)
    with _refresh_lock(directory) as locked:
        if not locked:
            return RefreshReport(skipped="another refresh is running")
        if job and offerings_services.embed_missing(session):
            # rows written before offerings were embedded (or by another model): stored now, off the request path
            session.commit()
        high = changes.safe_high_water(session)
        if job:
            session.commit()
        pointer = read_pointer(directory)
        index, since_full, changed = None, 0, 0
        if pointer is not None and pointer["seq"] > high:
            # The change log went back (a database restored from a backup): what the snapshot holds is unknown.
            logger.warning("change log at %d is behind the snapshot's %d: rebuilding", high, pointer["seq"])
            full = True
        if pointer is not None and not full:
            if pointer["seq"] >= high:
                return RefreshReport(seq=pointer["seq"], snapshot=pointer["snapshot"],
                                     skipped=f"up to date at change {pointer['seq']} ({pointer['snapshot']})")
            try:
                index = load_snapshot(directory, pointer["snapshot"])
            except MatchingError as exc:
                logger.error("ranking index snapshot refused, rebuilding: %s", exc)
        if index is not None:
            rows = changes.changes_after(session, int(pointer["seq"]), high)
            since_full = int(pointer.get("since_full", 0)) + len(rows)
            total = index.offering_count + index.problem_count
            if total == 0 or since_full > REFIT_SHARE * max(total, 50):
                index = None
            else:
                changed = apply_changes(session, index, ((k, r) for _s, k, r in rows))
        if index is None:
            index, since_full, full = build_full(session), 0, True
        name = f"{high:012d}-{uuid.uuid4().hex[:8]}"
        index.save(directory / SNAPSHOTS / name)
        load_snapshot(directory, name)  # never publish a snapshot that does not read back
        _write_pointer(directory, {"snapshot": name, "seq": high, "since_full": since_full,
                                   "offerings": index.offering_count, "problems": index.problem_count})
        if job:
            _prune(session, directory, name)
        report = RefreshReport(seq=high, snapshot=name, full=full, changed=changed, offerings=index.offering_count,
                               problems=index.problem_count, seconds=time.perf_counter() - started)
    logger.info(report.summary())
    return report


def refresh_shared_index(app: Flask | None = None, *, full: bool = False) -> RefreshReport:
    """The periodic job: :func:`refresh_index` in a session of its own, for the app's ``INDEX_DIR``.

    ``axbridge index refresh`` and ``axbridge tick`` call it; a job queue can schedule it as it is (two
    runs at once are harmless: the second one finds the directory locked and returns).
    """
    from marketplace.database import session_scope

    app = app or current_app
    with session_scope(app) as session:
        return refresh_index(session, index_dir(app), full=full)


def _prune(session: Session, directory: Path, current: str) -> None:
    names = sorted((p.name for p in (directory / SNAPSHOTS).iterdir() if p.is_dir() and not p.name.startswith(".")),
                   reverse=True)
    kept = [current] + [n for n in names if n != current][:KEEP_SNAPSHOTS - 1]
    for name in names:
        if name not in kept:
            shutil.rmtree(directory / SNAPSHOTS / name, ignore_errors=True)
    oldest = min(int(n.split("-", 1)[0]) for n in kept)
    changes.prune(session, oldest)
