"""Batch assignment for agencies: many problems, offerings with capacities.

:func:`assign` picks at most one offering per problem and at most
``capacity`` problems per offering so that the total score is maximal.

Method: each problem keeps its ``top_k`` best offerings (edges with a score
above ``min_score``; excluded pairs have score ``-inf`` and never appear).
Every offering becomes ``min(capacity, candidates)`` identical slots, every
problem gets a private "unassigned" slot worth 0, and
:func:`scipy.sparse.csgraph.min_weight_full_bipartite_matching` solves the
sparse problem exactly on that graph (costs are ``C - score`` with
``C > max score``, so minimising cost maximises the total score).

The optional ``min_non_capital_share`` asks that at least that share of the
assigned problems come from SMEs outside the capital region (서울·인천·경기).
It is met by a Lagrangian bonus on those problems' edges, the smallest one
found by bisection that reaches the share; the reported objective is always
in the original scores. If no bonus reaches it (too few such problems with
candidates), ``min_share_met`` is false and the assignment with the highest
share is returned.

The greedy baseline takes edges of the same graph best-first while the
problem is free and the offering has room. On the same graph and without a
share constraint the optimum is never below greedy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from matching.errors import MatchingError

__all__ = ["Assignment", "assign", "greedy_assign"]


@dataclass(frozen=True)
class Assignment:
    """``pairs`` are ``(problem_id, offering_id, score)`` in problem order."""

    pairs: list[tuple[Any, Any, float]]
    objective: float
    greedy_objective: float
    greedy_pairs: list[tuple[Any, Any, float]]
    non_capital_share: float | None
    greedy_non_capital_share: float | None
    min_share_met: bool
    bonus: float

    @property
    def improvement(self) -> float:
        """Objective over the greedy objective, minus one (0.03 means 3% better)."""
        return self.objective / self.greedy_objective - 1.0 if self.greedy_objective > 0 else 0.0


def _edges(scores: np.ndarray, top_k: int | None, min_score: float):
    m, n = scores.shape
    valid = np.isfinite(scores) & (scores > min_score)
    rows, cols = [], []
    k = n if top_k is None else min(top_k, n)
    if k < n:
        masked = np.where(valid, scores, -np.inf)
        cand = np.argpartition(-masked, k - 1, axis=1)[:, :k]
        for i in range(m):
            c = cand[i][valid[i, cand[i]]]
            rows.append(np.full(len(c), i))
            cols.append(c)
        r = np.concatenate(rows) if rows else np.zeros(0, int)
        c = np.concatenate(cols) if cols else np.zeros(0, int)
    else:
        r, c = np.nonzero(valid)
    return r.astype(np.int64), c.astype(np.int64), scores[r, c].astype(np.float64)


def _solve(m: int, n: int, r, c, s, capacities):
    """Exact max-weight assignment on the edge list; returns offering index per problem (-1: none)."""
    choice = np.full(m, -1, np.int64)
    if len(r) == 0:
        return choice
    cand_count = np.bincount(c, minlength=n)
    slots = np.minimum(capacities, cand_count).astype(np.int64)
    first = np.concatenate([[0], np.cumsum(slots)[:-1]])
    total_slots = int(slots.sum())
    reps = slots[c]
    er = np.repeat(r, reps)
    es = np.repeat(s, reps)
    offset = np.concatenate([np.arange(k) for k in reps]) if len(reps) else np.zeros(0, np.int64)
    ec = np.repeat(first[c], reps) + offset
    big = float(max(es.max(initial=0.0), 0.0)) + 1.0
    cost = big - es
    rows = np.concatenate([er, np.arange(m)])
    cols = np.concatenate([ec, total_slots + np.arange(m)])
    data = np.concatenate([cost, np.full(m, big)])
    graph = sp.csr_matrix((data, (rows, cols)), shape=(m, total_slots + m))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    slot_owner = np.repeat(np.arange(n), slots)
    for i, j in zip(row_ind, col_ind):
        if j < total_slots:
            choice[i] = slot_owner[j]
    return choice


def greedy_assign(m: int, r, c, s, capacities) -> np.ndarray:
    """Best edge first while the problem is free and the offering has room."""
    choice = np.full(m, -1, np.int64)
    left = capacities.astype(np.int64).copy()
    for e in np.argsort(-s, kind="stable"):
        i, j = r[e], c[e]
        if choice[i] < 0 and left[j] > 0:
            choice[i] = j
            left[j] -= 1
    return choice


def assign(
    scores,
    capacities=None,
    min_non_capital_share: float | None = None,
    *,
    problem_is_capital=None,
    problem_ids=None,
    offering_ids=None,
    top_k: int | None = 50,
    min_score: float = 0.0,
) -> Assignment:
    """Assign problems to offerings, maximising the total score within capacities.

    ``scores`` is an (m, n) array (``-inf`` where excluded) or a
    :class:`matching.index.ScoreMatrix`, which carries ids, capacities and
    regions. Pairs scoring ``min_score`` or less are never assigned.
    """
    if hasattr(scores, "scores"):
        capacities = scores.capacities if capacities is None else capacities
        problem_is_capital = scores.problem_is_capital if problem_is_capital is None else problem_is_capital
        problem_ids = scores.problem_ids if problem_ids is None else problem_ids
        offering_ids = scores.offering_ids if offering_ids is None else offering_ids
        scores = scores.scores
    S = np.asarray(scores, dtype=np.float64)
    if S.ndim != 2:
        raise MatchingError("scores must be a 2-D array (problems x offerings)")
    if np.isnan(S).any() or np.isposinf(S).any():
        raise MatchingError("scores must not contain NaN or +inf (use -inf for excluded pairs)")
    m, n = S.shape
    cap = np.ones(n, np.int64) if capacities is None else np.asarray(capacities)
    if cap.shape != (n,) or not np.issubdtype(cap.dtype, np.number) or (cap < 0).any() \
            or not np.all(np.mod(cap, 1) == 0):
        raise MatchingError(f"capacities must be {n} non-negative whole numbers")
    cap = cap.astype(np.int64)
    if top_k is not None and (not isinstance(top_k, int) or top_k < 1):
        raise MatchingError("top_k must be a positive whole number or None")
    if not math.isfinite(min_score):
        raise MatchingError("min_score must be finite")
    if min_non_capital_share is not None:
        if not isinstance(min_non_capital_share, (int, float)) or not 0.0 <= min_non_capital_share <= 1.0:
            raise MatchingError("min_non_capital_share must be between 0 and 1")
        if problem_is_capital is None:
            raise MatchingError("min_non_capital_share needs problem_is_capital (one bool per problem)")
    capital = None if problem_is_capital is None else np.asarray(problem_is_capital, bool)
    if capital is not None and capital.shape != (m,):
        raise MatchingError(f"problem_is_capital must have {m} entries")
    pids = list(range(m)) if problem_ids is None else list(problem_ids)
    oids = list(range(n)) if offering_ids is None else list(offering_ids)
    if len(pids) != m or len(oids) != n:
        raise MatchingError("problem_ids/offering_ids do not match the score matrix")

    r, c, s = _edges(S, top_k, min_score)

    def share(choice):
        if capital is None:
            return None
        assigned = choice >= 0
        return float((~capital[assigned]).mean()) if assigned.any() else 1.0

    def solve(bonus: float):
        s_b = s + (bonus * (~capital[r]) if capital is not None and bonus else 0.0)
        return _solve(m, n, r, c, s_b, cap)

    bonus = 0.0
    choice = solve(0.0)
    met = True
    if min_non_capital_share is not None and share(choice) < min_non_capital_share - 1e-12:
        hi = float(s.max(initial=0.0) - min(0.0, s.min(initial=0.0))) + 1.0
        best = solve(hi)
        if share(best) < min_non_capital_share - 1e-12:
            met, choice, bonus = False, best, hi
        else:
            lo = 0.0
            for _ in range(20):
                mid = (lo + hi) / 2
                trial = solve(mid)
                if share(trial) >= min_non_capital_share - 1e-12:
                    hi, best = mid, trial
                else:
                    lo = mid
            choice, bonus = best, hi

    g = greedy_assign(m, r, c, s, cap)

    def pairs(ch):
        return [(pids[i], oids[j], float(S[i, j])) for i, j in enumerate(ch) if j >= 0]

    def objective(ch):
        idx = np.flatnonzero(ch >= 0)
        return float(S[idx, ch[idx]].sum())

    return Assignment(pairs(choice), objective(choice), objective(g), pairs(g), share(choice), share(g), met, bonus)
