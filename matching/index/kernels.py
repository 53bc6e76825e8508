"""Compiled kernels of the candidate path (numba): the estimate of every row in one pass.

:func:`estimate` computes, for one problem and every row of a large offerings
block, what :func:`matching.index.candidates._estimate` describes (relevance,
criteria boost, penalties, exclusions) reading each feature once, where the
same computation in numpy took some twenty passes over the rows with their
temporaries. :func:`scatter` adds a query's postings into a dense row vector
in one call. Both only pick candidates: the scores of the rows returned come
from the exact computation.

The kernels are compiled for fixed signatures when this module is first
imported, which happens when a large block's candidate structures are built
or loaded (:func:`matching.index.candidates._accel_for`), never inside a
query. The machine code is cached on disk (``__pycache__`` beside this file,
else numba's user-wide cache directory), so later processes load it in
milliseconds; without any writable cache directory it is compiled in memory.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import types

_f32 = types.Array(types.float32, 1, "C", readonly=True)
_f32_2 = types.Array(types.float32, 2, "C", readonly=True)
_b = types.Array(types.uint8, 1, "C", readonly=True)  # bool arrays, viewed as bytes
_b2 = types.Array(types.uint8, 2, "C", readonly=True)
_i64 = types.Array(types.int64, 1, "C", readonly=True)
_i8_2 = types.Array(types.int8, 2, "C", readonly=True)
_f64 = types.Array(types.float64, 1, "C", readonly=True)
_out = types.Array(types.float32, 1, "C")
_CHUNK = 2048

# Integer and float parameters of :func:`estimate`, by position.
I_DIV, I_SEC, I_REG, I_ONPREM, I_DEAD, I_SEM, I_BUDGET = range(7)
(P_SEM_SHIFT, P_SEM_CAP, P_LEX_SHIFT, P_TYPE_SHARE, P_DIV_CREDIT, P_SEC_CREDIT, P_INV_GATE, P_BUDGET, P_BUDGET_K, P_GAP,
 P_INDUSTRY_PENALTY, P_REGION_PENALTY, P_UNKNOWN_PENALTY) = range(13)


def _compile(signatures, fn):
    try:
        return numba.njit(signatures, cache=True, nogil=True)(fn)
    except RuntimeError:  # no writable cache directory: compile in memory
        return numba.njit(signatures, nogil=True)(fn)


def _scatter(indptr, indices, data, terms, weights, out):  # pragma: no cover - compiled
    for j in range(terms.shape[0]):
        t = terms[j]
        w = weights[j]
        for p in range(indptr[t], indptr[t + 1]):
            out[indices[p]] += w * data[p]


def _estimate(low, axes, lex, offeredT, type_rows, divT, secT, regT, profileT, weights, boost, static_penalty, price,
              inv_price, has_ind, nationwide, known, onprem_ok, dead, ints, params, out):  # pragma: no cover
    f32 = np.float32
    d, s, r = ints[I_DIV], ints[I_SEC], ints[I_REG]
    onprem, use_dead, use_sem, use_budget = ints[I_ONPREM] != 0, ints[I_DEAD] != 0, ints[I_SEM] != 0, ints[I_BUDGET]
    sem_shift, sem_cap, lex_shift = f32(params[P_SEM_SHIFT]), f32(params[P_SEM_CAP]), f32(params[P_LEX_SHIFT])
    share, div_credit, sec_credit = f32(params[P_TYPE_SHARE]), f32(params[P_DIV_CREDIT]), f32(params[P_SEC_CREDIT])
    inv_gate, budget, k, gap = (f32(params[P_INV_GATE]), f32(params[P_BUDGET]), f32(params[P_BUDGET_K]),
                                f32(params[P_GAP]))
    ind_pen, reg_pen = f32(params[P_INDUSTRY_PENALTY]), f32(params[P_REGION_PENALTY])
    unknown_pen = f32(params[P_UNKNOWN_PENALTY])
    zero, one, inf = f32(0.0), f32(1.0), f32(np.inf)
    n = out.shape[0]
    rel = np.empty(_CHUNK, np.float32)
    crit = np.empty(_CHUNK, np.float32)
    excluded = 0
    # Chunks of rows small enough to stay in the first-level cache, each computed in simple loops over slices
    # that the compiler vectorises (a loop over all the work of one row, or indices like lo + j, do not).
    for lo in range(0, n, _CHUNK):
        hi = min(lo + _CHUNK, n)
        m = hi - lo
        o = out[lo:hi]
        x = lex[lo:hi]
        if use_sem:  # the semantic channel on the principal axes (quantised to bytes), four axes a pass
            for j in range(m):
                crit[j] = sem_shift
            n_axes = axes.shape[0]
            for a in range(0, n_axes - 3, 4):
                w0, w1, w2, w3 = axes[a], axes[a + 1], axes[a + 2], axes[a + 3]
                b0, b1, b2, b3 = low[a, lo:hi], low[a + 1, lo:hi], low[a + 2, lo:hi], low[a + 3, lo:hi]
                for j in range(m):
                    crit[j] += w0 * f32(b0[j]) + w1 * f32(b1[j]) + w2 * f32(b2[j]) + w3 * f32(b3[j])
            for a in range(n_axes - n_axes % 4, n_axes):
                wa, b0 = axes[a], low[a, lo:hi]
                for j in range(m):
                    crit[j] += wa * f32(b0[j])
            for j in range(m):
                rel[j] = x[j] + lex_shift + min(max(crit[j], zero), sem_cap)
        else:
            for j in range(m):
                rel[j] = x[j] + lex_shift
        for t in type_rows:
            x = offeredT[t, lo:hi]
            for j in range(m):
                rel[j] += x[j] * share
        if d >= 0:
            u, v = divT[d, lo:hi], secT[s, lo:hi]
            for j in range(m):
                rel[j] += f32(u[j]) * div_credit + f32(v[j]) * sec_credit
        x = boost[lo:hi]
        for j in range(m):
            crit[j] = x[j]
        for c in range(weights.shape[0]):
            wc, x = weights[c], profileT[c, lo:hi]
            for j in range(m):
                crit[j] += wc * x[j]
        x = static_penalty[lo:hi]
        for j in range(m):
            o[j] = rel[j] + min(rel[j] * inv_gate, one) * crit[j] + x[j]
        if use_budget != 0:
            x, y = price[lo:hi], inv_price[lo:hi]
            if use_budget > 0:  # 0.3 k + 0.7 k (1 - budget / price) above the budget; gap = 0.7 budget k
                for j in range(m):
                    o[j] -= f32(x[j] > budget) * (k - gap * y[j])
            else:  # a negative budget (gap = -budget): the full penalty past a price of 0
                for j in range(m):
                    o[j] -= f32(x[j] > budget) * (min(one + gap * y[j], one) * f32(0.7) * k + f32(0.3) * k)
        if d >= 0 and ind_pen != zero:
            u, v = has_ind[lo:hi], divT[d, lo:hi]
            for j in range(m):
                o[j] -= f32(u[j] & (v[j] ^ 1)) * ind_pen
        if r >= 0:
            u, v = regT[r, lo:hi], nationwide[lo:hi]
            for j in range(m):
                o[j] -= f32((u[j] | v[j]) ^ 1) * reg_pen
        if onprem:
            u, v = known[lo:hi], onprem_ok[lo:hi]
            for j in range(m):
                o[j] -= f32(u[j] ^ 1) * unknown_pen
            for j in range(m):
                gone = u[j] & (v[j] ^ 1)
                excluded += gone
                o[j] = -inf if gone else o[j]
        if use_dead:
            u = dead[lo:hi]
            for j in range(m):
                excluded += u[j] & (o[j] != -inf)
                o[j] = -inf if u[j] else o[j]
    return n - excluded


scatter = _compile([types.void(types.Array(ix, 1, "C", readonly=True), types.Array(ix, 1, "C", readonly=True), _f32,
                                _i64, _f32, _out) for ix in (types.int32, types.int64)], _scatter)
estimate = _compile([types.int64(_i8_2, _f32, _f32, _f32_2, _i64, _b2, _b2, _b2, _f32_2, _f32, _f32, _f32, _f32, _f32, _b,
                                 _b, _b, _b, _b, _i64, _f64, _out)], _estimate)
