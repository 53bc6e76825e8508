"""Rows to engine records: what of an offering or a problem the ranking engine (``matching``) reads."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import replace

import numpy as np

from marketplace.offerings import services as offerings_services
from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.problems.models import Problem, ProblemState
from matching import OfferingRecord, ProblemRecord, Weights

#: Problems vendors can still act on; only these are indexed for the vendor side.
RANKED_PROBLEM_STATES = (ProblemState.ENQUIRIES, ProblemState.BIDDING)


def offering_record(offering: Offering, *, profile: dict[str, float] | None = None) -> OfferingRecord:
    """The engine's view of an offering; ``profile`` is its evidence-adjusted criteria profile
    (:func:`marketplace.offerings.services.adjusted_profiles`), the vendor's own when not given."""
    return OfferingRecord(
        id=offering.id, title=offering.title, description=offering.description,
        capabilities=tuple(offering.capabilities), industries=tuple(offering.industries),
        regions_served=tuple(offering.regions_served), deployment_modes=tuple(offering.deployment_modes),
        price_min=offering.price_min_krw, price_max=offering.price_max_krw, duration_weeks=offering.typical_weeks,
        profile=dict(profile if profile is not None else offering.profile),
        completed_projects=offering.completed_projects,
        mean_review=float(offering.mean_review) if offering.mean_review is not None else None,
        capacity=offering.capacity,
        # the vector stored when the offering was written; without one, the index embeds it when indexing it
        embedding=offerings_services.stored_vector(offering), embedding_model=offering.embedding_model,
    )


#: Problem embeddings remembered per process, by the SHA-256 of the problem's text (a problem is embedded once,
#: not once per page or API call that ranks it).
PROBLEM_EMBEDDINGS_SIZE = 1024
_problem_embeddings: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_problem_embeddings_lock = threading.Lock()


def problem_embedding(text: str) -> tuple[np.ndarray, str]:
    """The query embedding of a problem's text and the model's name, computed once per text (LRU)."""
    model = offerings_services.embedder()
    key = (model.name, hashlib.sha256(text.encode("utf-8")).hexdigest())
    with _problem_embeddings_lock:
        vector = _problem_embeddings.get(key)
        if vector is not None:
            _problem_embeddings.move_to_end(key)
            return vector, model.name
    embed = getattr(model, "embed_query", None) or model.embed
    vector = np.asarray(embed([text])[0], dtype=np.float32)
    vector.setflags(write=False)
    with _problem_embeddings_lock:
        _problem_embeddings[key] = vector
        while len(_problem_embeddings) > PROBLEM_EMBEDDINGS_SIZE:
            _problem_embeddings.popitem(last=False)
    return vector, model.name


def problem_record(problem: Problem, region: str | None, *, embed: bool = False) -> ProblemRecord:
    """The engine's view of a problem; ``embed``: with its semantic vector (:func:`problem_embedding`), for an
    index with a semantic channel."""
    record = _problem_record(problem, region)
    if not embed:
        return record
    vector, model = problem_embedding(record.text)
    return replace(record, embedding=vector, embedding_model=model)


def _problem_record(problem: Problem, region: str | None) -> ProblemRecord:
    weights = problem.weights
    return ProblemRecord(
        id=problem.id, title=problem.title, description=problem.description or "",
        problem_types=tuple(problem.problem_types), industry=problem.industry, region=region,
        budget_min=problem.budget_min_krw, budget_max=problem.budget_max_krw,
        on_premises_required=problem.on_premises_required,
        data_available=tuple(d.get("kind", "") for d in problem.data_assets),
        existing_systems=tuple(problem.systems),
        weights=Weights.from_mapping(weights) if any(weights.values()) else None,
    )


def is_indexed_offering(offering: Offering | None) -> bool:
    return offering is not None and offering.status == OfferingStatus.ACTIVE


def is_indexed_problem(problem: Problem | None) -> bool:
    return problem is not None and problem.state in RANKED_PROBLEM_STATES
