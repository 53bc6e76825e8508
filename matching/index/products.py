"""Sparse products of one query row with a block's term-major or row-major matrices.

Both compute in float32 in ascending term order, the arithmetic of scipy's
sparse product, without its symbolic pass, sparse result or Python-level
indexing: the full path and the candidate path of
:func:`matching.index.search._rank_block` therefore give the same numbers.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse import _sparsetools

#: Mean postings length from which a term's postings are read in place rather than gathered first.
_PER_TERM_MIN_MEAN = 1024


def _dense(m) -> np.ndarray:
    return m.toarray() if sp.issparse(m) else np.asarray(m)


def _postings_dot(q: sp.csr_matrix, XT: sp.csr_matrix) -> np.ndarray:
    """``(q @ XT).toarray()`` for a one-row query: (1, n) float32.

    Reads only the postings (rows of the term-major ``XT``) of the query's terms
    and accumulates them in float32 in ascending term order.
    """
    if q.shape[0] != 1 or not q.has_sorted_indices:
        return _dense(q @ XT)
    out = np.zeros(XT.shape[1], np.result_type(q.dtype, XT.dtype))
    _accumulate(XT, q.indices, q.data.astype(out.dtype, copy=False), out)
    return out[None, :]


def _accumulate(XT: sp.csr_matrix, terms: np.ndarray, weights: np.ndarray, out: np.ndarray) -> None:
    """``out += weights @ XT[terms]``, term by term in the given order, reading the postings in place.

    One ``csc_matvec`` per term on views of ``XT``: the same float32
    arithmetic, in the same order, as one call on the gathered rows, without
    copying them (2-3x faster for long postings).
    """
    indptr, indices, data = XT.indptr, XT.indices, XT.data
    n = XT.shape[1]
    if not len(terms):
        return
    starts, ends = indptr[terms], indptr[terms + 1]
    if int((ends - starts).sum()) < _PER_TERM_MIN_MEAN * len(terms):
        # Short postings: a call per term costs more than copying them.
        rows = XT[terms]
        _sparsetools.csc_matvec(n, len(terms), rows.indptr, rows.indices, rows.data, weights, out)
        return
    ap = np.zeros(2, indptr.dtype)
    for j, (s, e) in enumerate(zip(starts.tolist(), ends.tolist())):
        if e > s:
            ap[1] = e - s
            _sparsetools.csc_matvec(n, 1, ap, indices[s:e], data[s:e], weights[j:j + 1], out)


def _rows_dot(XR: sp.csr_matrix, rows: np.ndarray, q: sp.csr_matrix) -> np.ndarray:
    """``XR[rows] @ q.T`` for a row-major ``XR`` and a one-row query with sorted terms: (len(rows),) float32.

    The rows are gathered with scipy's own kernel (no Python-level fancy indexing) and multiplied with the
    query as a dense vector: per row, the sum runs over its terms in ascending order, as in :func:`_accumulate`.
    """
    indptr = XR.indptr
    rows = np.asarray(rows, indptr.dtype)
    lens = indptr[rows + 1] - indptr[rows]
    sub_ptr = np.zeros(len(rows) + 1, indptr.dtype)
    np.cumsum(lens, out=sub_ptr[1:])
    nnz = int(sub_ptr[-1])
    sub_idx = np.empty(nnz, XR.indices.dtype)
    sub_data = np.empty(nnz, XR.data.dtype)
    _sparsetools.csr_row_index(len(rows), rows, indptr, XR.indices, XR.data, sub_idx, sub_data)
    qdense = np.zeros(q.shape[1], np.float32)
    qdense[q.indices] = q.data
    out = np.zeros(len(rows), np.float32)
    _sparsetools.csr_matvec(len(rows), q.shape[1], sub_ptr, sub_idx, sub_data, qdense, out)
    return out
