"""The fast text and term-matching paths give exactly what the plain implementations give."""

import re

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from matching import taxonomy, terms
from matching.text import TextModel
from matching.tokens import expand_text, word_analyzer


def _texts(demo_offerings):
    texts = [o.text for o in demo_offerings]
    texts += ["", "   ", "a", "ÅNGSTRÖM Straße ﬁ ①② 불량   검사\t\tX", "_under_score_ 빵집에서의 수요예측을", "AI AI ai 123 4567"]
    return texts


def _canon(m):
    m = sp.csr_matrix(m, copy=True)
    m.sort_indices()
    return m


def _same(a, b):
    a, b = _canon(a), _canon(b)
    return (a.shape == b.shape and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
            and np.array_equal(a.data.view(np.uint32), b.data.view(np.uint32)))


def test_text_model_matches_scikit_learn_bit_for_bit(demo_offerings):
    texts = _texts(demo_offerings)
    for limits in ({}, {"max_char_features": 300, "max_word_features": 200}):
        model = TextModel.create(**limits)
        Xc, Xw = model.fit_transform(texts)
        prepared = [expand_text(t) for t in texts]
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32,
                               max_features=limits.get("max_char_features", 300_000))
        word = TfidfVectorizer(analyzer=word_analyzer, sublinear_tf=True, dtype=np.float32,
                               max_features=limits.get("max_word_features", 300_000))
        # The char channel reads the text as written; the word channel the expanded text.
        assert _same(Xc, char.fit_transform(texts)) and _same(Xw, word.fit_transform(prepared))
        assert model.char.vocabulary_ == char.vocabulary_ and model.word.vocabulary_ == word.vocabulary_
        assert np.array_equal(model.char.idf_, char.idf_) and np.array_equal(model.word.idf_, word.idf_)
        queries = ["불량 검사를 자동화하고 싶습니다", "demand forecasting for a bakery", "unknown words only", ""]
        Qc, Qw = model.transform(queries)
        prepared = [expand_text(t) for t in queries]
        assert _same(Qc, char.transform(queries)) and _same(Qw, word.transform(prepared))


def test_grouped_term_regex_matches_the_flat_alternation(demo_offerings):
    texts = _texts(demo_offerings) + ["불량검사 빵집수요 예측 predictive maintenance, xdefect inspection1 OCR"]
    for kind in ("problem_type", "industry", "region"):
        hangul, latin = [], []
        for entry in taxonomy.entries(kind):
            for term in entry.terms:
                key = terms.normalise_text(term)
                compact = key.replace(" ", "")
                if not compact:
                    continue
                if terms._HANGUL.search(key):
                    hangul.append(r"\s*".join(re.escape(ch) for ch in compact))
                else:
                    latin.append(r"\s*".join(re.escape(part) for part in key.split(" ")))
        vocab = terms._vocab(kind)
        flat_h = re.compile("|".join(sorted(set(hangul), key=len, reverse=True)))
        flat_l = re.compile(r"(?<![a-z0-9])(?:" + "|".join(sorted(set(latin), key=len, reverse=True)) + r")(?![a-z0-9])")
        for text in texts:
            key = terms.normalise_text(text)
            for flat, fast in ((flat_h, vocab.hangul_re), (flat_l, vocab.latin_re)):
                assert [m.span() for m in flat.finditer(key)] == [m.span() for m in fast.finditer(key)]
