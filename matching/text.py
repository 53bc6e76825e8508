"""Text relevance: TF-IDF over character n-grams fused with word n-grams.

Korean needs no tokenizer here. Two views of each text are vectorised with
scikit-learn's :class:`~sklearn.feature_extraction.text.TfidfVectorizer`:

- **char**: character 2-4-grams inside word boundaries (``char_wb``). They
  match Korean words whatever particle is attached (``불량을`` / ``불량이``)
  and English inflections, and tolerate spacing differences.
- **word**: word unigrams and bigrams of a light analyser that strips common
  Korean particles and endings (``예측을`` → ``예측``). Precise, and gives the
  human-readable matched terms.

Both are L2-normalised with sublinear term frequency, so a dot product is a
cosine in [0, 1]. The channels are fused by a **normalised blend**::

    text = alpha * cos_char + (1 - alpha) * cos_word        (alpha = 0.5)

A blend keeps the score an absolute, comparable number per pair (needed for
the sum of contributions and for batch assignment across problems), where
reciprocal rank fusion only yields per-query ranks. ``benchmarks/matching_quality.py``
measures both (``--fusion rrf``) on the labelled set; see its report.

The word channel sees texts *expanded* (:func:`matching.tokens.expand_text`)
with the bilingual labels of the taxonomy terms they contain (problem types, industries, manufacturing
processes), so that ``불량 검사`` and ``defect inspection`` share vocabulary;
the char channel reads the text as written (measured on the dev splits of
benchmarks/matching_public.py: labels appended to short texts dilute their
character n-grams, -0.02 nDCG@10 on Korean paraphrases).

The semantic channel (:mod:`matching.semantic`) is fused with this blend by
:func:`matching.index.search.fuse`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from matching.semantic import Embedder
from matching.tokens import analyse, expand_text, word_analyzer

__all__ = ["Embedder", "TextModel"]

#: Words whose char n-gram ids a model remembers (per model and process); cleared when full.
_WORD_CACHE_LIMIT = 500_000


def _char_wb(word: str, min_n: int, max_n: int) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams of one (lower-cased) word, in its order."""
    w = " " + word + " "
    w_len = len(w)
    out = []
    for n in range(min_n, max_n + 1):
        offset = 0
        out.append(w[offset: offset + n])
        while offset + n < w_len:
            offset += 1
            out.append(w[offset: offset + n])
        if offset == 0:  # count a short word (w_len < n) only once
            break
    return out


def _sorted_vocabulary(terms: list[str], counts: sp.csr_matrix, vec: TfidfVectorizer):
    """Reorder provisional feature ids alphabetically and apply ``max_features`` like scikit-learn's
    ``CountVectorizer.fit_transform`` (``_sort_features`` then ``_limit_features``)."""
    order = sorted(range(len(terms)), key=terms.__getitem__)
    map_index = np.empty(len(terms), dtype=counts.indices.dtype)
    map_index[order] = np.arange(len(terms), dtype=counts.indices.dtype)
    counts.indices = map_index.take(counts.indices, mode="clip")
    counts.has_sorted_indices = False
    counts.sort_indices()
    sorted_terms = [terms[i] for i in order]
    n_doc = counts.shape[0]
    max_df, min_df, limit = vec.max_df, vec.min_df, vec.max_features
    high = max_df if isinstance(max_df, Integral) else max_df * n_doc
    low = min_df if isinstance(min_df, Integral) else min_df * n_doc
    dfs = np.bincount(counts.indices, minlength=counts.shape[1])
    mask = (dfs <= high) & (dfs >= low)
    if limit is not None and mask.sum() > limit:
        tfs = np.asarray(counts.sum(axis=0)).ravel()
        mask_inds = (-tfs[mask]).argsort()[:limit]
        new_mask = np.zeros(len(dfs), dtype=bool)
        new_mask[np.where(mask)[0][mask_inds]] = True
        mask = new_mask
    if not mask.all():
        kept = np.where(mask)[0]
        if len(kept) == 0:
            raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
        counts = counts[:, kept]
        sorted_terms = [sorted_terms[i] for i in kept]
    vocabulary = dict(zip(sorted_terms, np.arange(len(sorted_terms), dtype=np.int64)))
    return vocabulary, counts


def _fit_vectorizer(vec: TfidfVectorizer, counts: sp.csr_matrix, vocabulary: dict) -> sp.csr_matrix:
    """Fitted state and output of ``vec.fit_transform`` given the count matrix it would have built."""
    vec._validate_vocabulary()
    vec.vocabulary_ = vocabulary
    vec._tfidf = TfidfTransformer(norm=vec.norm, use_idf=vec.use_idf, smooth_idf=vec.smooth_idf,
                                  sublinear_tf=vec.sublinear_tf)
    vec._tfidf.fit(counts)
    return sp.csr_matrix(vec._tfidf.transform(counts, copy=False))


def _coo_counts(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int], dtype=np.float32) -> sp.csr_matrix:
    m = sp.csr_matrix((np.ones(len(rows), dtype), (rows, cols)), shape=shape)
    m.sum_duplicates()
    return m


@dataclass
class TextModel:
    """The fitted vectorisers. Fit once on the corpus; transform new texts without refitting.

    ``fit``/``fit_transform``/``transform`` give exactly what the two
    scikit-learn vectorisers would (same vocabulary, IDF and float32 values),
    computed faster: each text is normalised once for the taxonomy expansion
    and the word tokens, a word's character n-grams are extracted once per
    distinct word (the document counts are then one sparse product), and a
    word's feature ids are cached per fitted vocabulary for ``transform``.
    """

    char: TfidfVectorizer
    word: TfidfVectorizer
    alpha: float = 0.5
    expand: bool = True
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def create(cls, *, alpha: float = 0.5, expand: bool = True, max_char_features: int | None = 300_000,
               max_word_features: int | None = 300_000) -> TextModel:
        char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=1,
            max_features=max_char_features, dtype=np.float32, lowercase=True,
        )
        word = TfidfVectorizer(
            analyzer=word_analyzer, sublinear_tf=True, min_df=1,
            max_features=max_word_features, dtype=np.float32,
        )
        return cls(char, word, alpha, expand)

    def prepare(self, text: str) -> str:
        return expand_text(text) if self.expand else text

    def _fast(self) -> bool:
        """Whether the vectorisers are the ones :meth:`create` makes (else: plain scikit-learn)."""
        c, w = self.char, self.word
        return (c.analyzer == "char_wb" and c.lowercase and c.preprocessor is None and c.strip_accents is None
                and c.input == "content" and not c.binary and c.norm == "l2" and c.use_idf
                and w.analyzer is word_analyzer and not w.binary and w.norm == "l2" and w.use_idf
                and w.input == "content")

    def fit(self, texts: Sequence[str]) -> TextModel:
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Fit on ``texts`` and return their vectors (one pass over the corpus)."""
        if not self._fast():
            prepared = [self.prepare(t) for t in texts]
            return self.char.fit_transform(list(texts)).tocsr(), self.word.fit_transform(prepared).tocsr()
        self._cache.clear()
        analysed = [analyse(t, self.expand) for t in texts]
        return self._fit_char(list(texts)), self._fit_word([a[1] for a in analysed])

    def _fit_char(self, prepared: list[str]) -> sp.csr_matrix:
        vec = self.char
        min_n, max_n = vec.ngram_range
        word_ids: dict[str, int] = {}
        doc_rows, doc_cols = [], []
        for d, doc in enumerate(prepared):
            ids = [word_ids.setdefault(w, len(word_ids)) for w in doc.lower().split()]
            doc_cols.append(ids)
            doc_rows.append(np.full(len(ids), d, np.int64))
        feature_ids: dict[str, int] = {}
        m_rows, m_cols = [], []
        for u, w in enumerate(word_ids):
            grams = [feature_ids.setdefault(g, len(feature_ids)) for g in _char_wb(w, min_n, max_n)]
            m_cols.extend(grams)
            m_rows.extend([u] * len(grams))
        if not feature_ids:
            return vec.fit_transform(prepared).tocsr()  # raises scikit-learn's "empty vocabulary" error
        n, nw, nf = len(prepared), len(word_ids), len(feature_ids)
        W = _coo_counts(np.concatenate(doc_rows) if doc_rows else np.zeros(0, np.int64),
                        np.fromiter((i for ids in doc_cols for i in ids), np.int64), (n, nw))
        M = _coo_counts(np.asarray(m_rows, np.int64), np.asarray(m_cols, np.int64), (nw, nf))
        counts = sp.csr_matrix(W @ M, dtype=np.float32)
        counts.indices = counts.indices.astype(np.int32, copy=False)
        counts.indptr = counts.indptr.astype(np.int32, copy=False)
        vocabulary, counts = _sorted_vocabulary(list(feature_ids), counts, vec)
        return _fit_vectorizer(vec, counts, vocabulary)

    def _fit_word(self, tokens: list[list[str]]) -> sp.csr_matrix:
        vec = self.word
        tok_ids: dict[str, int] = {}
        lens = np.fromiter((len(t) for t in tokens), np.int64, len(tokens))
        ids = np.fromiter((tok_ids.setdefault(t, len(tok_ids)) for toks in tokens for t in toks), np.int64,
                          int(lens.sum()))
        if not tok_ids:
            return vec.fit_transform([" ".join(t) for t in tokens]).tocsr()  # scikit-learn's error
        nt = len(tok_ids)
        doc = np.repeat(np.arange(len(tokens), dtype=np.int64), lens)
        same = doc[1:] == doc[:-1]
        keys = ids[:-1][same] * nt + ids[1:][same]
        uniq, inverse = np.unique(keys, return_inverse=True)
        names = list(tok_ids)
        terms = names + [f"{names[k // nt]} {names[k % nt]}" for k in uniq.tolist()]
        rows = np.concatenate([doc, doc[:-1][same]])
        cols = np.concatenate([ids, nt + inverse.reshape(-1)])
        counts = _coo_counts(rows, cols, (len(tokens), len(terms)))
        counts.indices = counts.indices.astype(np.int32, copy=False)
        counts.indptr = counts.indptr.astype(np.int32, copy=False)
        vocabulary, counts = _sorted_vocabulary(terms, counts, vec)
        return _fit_vectorizer(vec, counts, vocabulary)

    def transform(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        if not self._fast() or not hasattr(self.char, "vocabulary_") or not hasattr(self.word, "vocabulary_"):
            prepared = [self.prepare(t) for t in texts]
            return self.char.transform(list(texts)).tocsr(), self.word.transform(prepared).tocsr()
        analysed = [analyse(t, self.expand) for t in texts]
        char_ids = self._vocab_cache("char")
        cvocab = self.char.vocabulary_
        min_n, max_n = self.char.ngram_range
        char_docs = []
        for text in texts:
            ids: list[int] = []
            for w in text.lower().split():
                got = char_ids.get(w)
                if got is None:
                    got = [i for i in (cvocab.get(g) for g in _char_wb(w, min_n, max_n)) if i is not None]
                    if len(char_ids) >= _WORD_CACHE_LIMIT:
                        char_ids.clear()
                    char_ids[w] = got
                ids.extend(got)
            char_docs.append(ids)
        wvocab = self.word.vocabulary_
        word_docs = []
        for _, toks in analysed:
            feats = [wvocab.get(t) for t in toks]
            feats.extend(wvocab.get(f"{a} {b}") for a, b in zip(toks, toks[1:]))
            word_docs.append([i for i in feats if i is not None])
        return (_tfidf_rows(char_docs, len(cvocab), self.char.idf_),
                _tfidf_rows(word_docs, len(wvocab), self.word.idf_))

    def _vocab_cache(self, name: str) -> dict:
        vocab = getattr(self, name).vocabulary_
        entry = self._cache.get(name)
        if entry is None or entry[0] is not vocab:
            entry = self._cache[name] = (vocab, {})
        return entry[1]

    def blend(self, cos_char, cos_word):
        return self.alpha * cos_char + (1.0 - self.alpha) * cos_word


def _tfidf_rows(docs: list[list[int]], n_features: int, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF-IDF, L2-normalised rows, computed exactly as scikit-learn's TfidfTransformer does."""
    indptr = np.zeros(len(docs) + 1, np.int32)
    parts_i, parts_c = [], []
    for d, ids in enumerate(docs):
        if ids:
            u, c = np.unique(np.asarray(ids, np.int32), return_counts=True)
            parts_i.append(u)
            parts_c.append(c)
            indptr[d + 1] = len(u)
    np.cumsum(indptr, out=indptr)
    indices = np.concatenate(parts_i).astype(np.int32, copy=False) if parts_i else np.zeros(0, np.int32)
    data = np.concatenate(parts_c).astype(np.float32) if parts_c else np.zeros(0, np.float32)
    X = sp.csr_matrix((data, indices, indptr), shape=(len(docs), n_features))
    np.log(X.data, X.data)
    X.data += 1.0
    X.data *= idf[X.indices]
    inplace_csr_row_normalize_l2(X)
    return X
