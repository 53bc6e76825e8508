"""Offering embeddings: the semantic channel's vector of an offering, computed when the offering is written.

The ranking index (:mod:`marketplace.discovery.services.index`) reads the stored vector and never embeds an
offering while answering a request. :func:`store_embedding` is called by the offering services when an
offering is created or its text (title, description, capabilities) changes; :func:`embed_missing` fills in
rows that have none (rows from before migration 0017), and is run by the index refresh job, off the request
path. The text embedded is the engine's own (:attr:`matching.OfferingRecord.text`), so a stored vector is the
one the engine would compute.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
from sqlmodel import Session, select

from marketplace.offerings.models import Offering
from matching import OfferingRecord
from matching.semantic import Embedder, default_embedder

logger = logging.getLogger(__name__)

_BATCH = 64


def embedder() -> Embedder:
    """The process-wide embedder (multilingual-e5-small, loaded once and memory-mapped)."""
    return default_embedder()


def offering_text(offering: Offering) -> str:
    """What the engine embeds of an offering."""
    return OfferingRecord(id=offering.id or 0, title=offering.title, description=offering.description or "",
                          capabilities=tuple(offering.capabilities or ())).text


def stored_vector(offering: Offering) -> np.ndarray | None:
    """The stored embedding as a float32 vector (``None``: none stored)."""
    if offering.embedding is None:
        return None
    return np.frombuffer(offering.embedding, dtype=np.float32)


def _set(offerings: Sequence[Offering], model: Embedder) -> None:
    vectors = model.embed([offering_text(o) for o in offerings])
    for offering, vector in zip(offerings, vectors):
        offering.embedding = np.asarray(vector, dtype="<f4").tobytes()
        offering.embedding_model = model.name


def store_embedding(offering: Offering) -> None:
    """Compute and set ``offering``'s embedding (the caller adds and flushes the row)."""
    _set([offering], embedder())


def embed_missing(session: Session, *, model: Embedder | None = None) -> int:
    """Embed every offering without a current embedding (none stored, or made by another model); flushes.

    Returns how many were embedded. Run by the index refresh job, never by a request.
    """
    model = model or embedder()
    ids = list(session.exec(select(Offering.id).where(
        (Offering.embedding.is_(None)) | (Offering.embedding_model.is_(None))
        | (Offering.embedding_model != model.name)).order_by(Offering.id)))
    for lo in range(0, len(ids), _BATCH):
        rows = list(session.exec(select(Offering).where(Offering.id.in_(ids[lo:lo + _BATCH])).order_by(Offering.id)))
        _set(rows, model)
        for row in rows:
            session.add(row)
        session.flush()
    if ids:
        logger.info("embedded %d offering(s) without a stored embedding", len(ids))
    return len(ids)
