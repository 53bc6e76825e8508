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

Texts can be *expanded* with the bilingual labels of the taxonomy terms they
contain, so that ``불량 검사`` and ``defect inspection`` share vocabulary.

An optional semantic channel plugs in through :class:`Embedder`; it is off
by default and the default install needs nothing beyond scikit-learn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from matching import taxonomy

__all__ = ["Embedder", "TextModel", "expand_text", "word_tokens"]

_TOKEN = re.compile(r"\w+")
_HANGUL_WORD = re.compile(r"^[\uac00-\ud7a3]+$")
# Common particles and endings, longest first. Stripped only when two syllables remain.
_KO_SUFFIXES = tuple(sorted(
    """을 를 이 가 은 는 에 의 로 으로 에서 에게 와 과 도 만 까지 부터 처럼 보다 이나 나 하고 이랑 랑
    하는 하고 하여 해서 하며 하면 한다 합니다 하기 했다 했고 되는 되어 되고 된 될 된다 됩니다 이다 입니다
    적인 적으로 적 들 들을 들이 들의 에서의 으로의 에의 로의 를위한 을위한 위한 하기위한""".split(),
    key=len, reverse=True))
_STOP = frozenset(
    """the a an and or of to in for on with by at from is are be we our us it this that as can
    our your their will would should want need ai 우리 저희 위해 있는 있습니다 없는 싶습니다 필요 필요합니다
    합니다 하는 및 등 또는 그리고 현재 통해 대한 대해 기반 활용 사용 ai를 ai로""".split())


def _strip_korean(token: str) -> str:
    if len(token) > 2 and token.endswith(_KO_SUFFIXES) and _HANGUL_WORD.match(token):
        for suffix in _KO_SUFFIXES:
            if token.endswith(suffix) and len(token) - len(suffix) >= 2:
                return token[: -len(suffix)]
    return token


def word_tokens(text: str) -> list[str]:
    """Normalised word tokens: case-folded, Korean particles stripped, stop words and 1-letter tokens dropped."""
    out = []
    for tok in _TOKEN.findall(taxonomy.normalise_text(text)):
        tok = _strip_korean(tok)
        if len(tok) > 1 and tok not in _STOP and not tok.isdigit():
            out.append(tok)
    return out


def _word_analyzer(text: str) -> list[str]:
    toks = word_tokens(text)
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]


def expand_text(text: str) -> str:
    """``text`` followed by both labels of every problem type and industry it mentions."""
    extra = []
    for kind in ("problem_type", "industry"):
        for hit in taxonomy.find_terms(text, kind):  # type: ignore[arg-type]
            entry = taxonomy.get_problem_type(hit.code) if kind == "problem_type" else taxonomy.get_industry(hit.code)
            extra.append(f"{entry.ko} {entry.en}")
    return text if not extra else text + "\n" + "\n".join(extra)


@runtime_checkable
class Embedder(Protocol):
    """A semantic channel: texts in, one L2-normalised dense vector per text out.

    ``name`` identifies the model (it is saved with an index and checked on
    load); ``dim`` is the vector size.
    """

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass
class TextModel:
    """The fitted vectorisers. Fit once on the corpus; transform new texts without refitting."""

    char: TfidfVectorizer
    word: TfidfVectorizer
    alpha: float = 0.5
    expand: bool = True

    @classmethod
    def create(cls, *, alpha: float = 0.5, expand: bool = True, max_char_features: int | None = 300_000,
               max_word_features: int | None = 300_000) -> TextModel:
        char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=1,
            max_features=max_char_features, dtype=np.float32, lowercase=True,
        )
        word = TfidfVectorizer(
            analyzer=_word_analyzer, sublinear_tf=True, min_df=1,
            max_features=max_word_features, dtype=np.float32,
        )
        return cls(char, word, alpha, expand)

    def prepare(self, text: str) -> str:
        return expand_text(text) if self.expand else text

    def fit(self, texts: Sequence[str]) -> TextModel:
        prepared = [self.prepare(t) for t in texts]
        self.char.fit(prepared)
        self.word.fit(prepared)
        return self

    def fit_transform(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Fit on ``texts`` and return their vectors (one pass over the corpus)."""
        prepared = [self.prepare(t) for t in texts]
        return self.char.fit_transform(prepared).tocsr(), self.word.fit_transform(prepared).tocsr()

    def transform(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        prepared = [self.prepare(t) for t in texts]
        return self.char.transform(prepared).tocsr(), self.word.transform(prepared).tocsr()

    def blend(self, cos_char, cos_word):
        return self.alpha * cos_char + (1.0 - self.alpha) * cos_word
