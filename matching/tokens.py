"""Word tokens of Korean and English texts, and the taxonomy labels a text is expanded with.

    >>> from matching.tokens import word_tokens
    >>> word_tokens("사출 성형 불량을 검사하고 있습니다")
    ['사출', '성형', '불량', '검사']

Tokens are case-folded ``\\w+`` runs of :func:`matching.terms.normalise_text`;
common Korean particles and endings are stripped while two syllables remain
(``불량을`` → ``불량``); stop words, digits and one-letter tokens are dropped.
:func:`is_content_term` is the stricter rule for words shown to users as
matched keywords (no ``있고``, ``최근``). :func:`expand_text` appends both
languages' labels of the problem types, industries and manufacturing processes
a text names, so that ``불량 검사`` and ``defect inspection`` share words.
"""

from __future__ import annotations

import re
from functools import cache

from matching import taxonomy, terms

__all__ = ["analyse", "expand_text", "is_content_term", "word_analyzer", "word_tokens"]

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


# Words that say nothing about what a problem or an offering is about. Kept out of the matched
# keywords shown to users (:func:`is_content_term`); predicates and adverbs ("있고", "최근") included.
_DISPLAY_STOP = frozenset(
    """있고 있는 있으며 있어 있어서 있다 있음 없고 없이 없어 없음 하고 하며 하여 해서 했고 했다 했습니다 됩니다 되고 되며
    최근 요즘 현재 매일 매번 자주 많이 많은 많고 적은 가장 너무 매우 정도 경우 때문 때문에 관련 대한 위한 통한 같은
    다양한 여러 모든 각종 기존 직접 바로 약간 계속 이미 아직 다시 정말 거의 주로 보다 더욱 함께 이상 이하 미만 초과
    약 등등 그리고 하지만 그러나 또한 또는 및 즉 the this that these those with without from into over under about
    also very more most much many some any each every other such our your their have has had been being was were
    using used use can could would should will just only""".split())
_VERB_ENDINGS = ("있고", "없고", "하고", "했고", "되고", "되어", "하여", "해서", "하며", "이며", "이고", "으며", "습니다",
                 "합니다", "됩니다", "했다", "한다", "된다", "있다", "없다", "는데", "지만", "어서", "아서", "려고", "도록")


def is_content_term(token: str) -> bool:
    """Whether a word token says what a text is about (shown as a matched keyword), not a particle,
    an ending, a number or a stop word."""
    if len(token) <= 1 or token in _STOP or token in _DISPLAY_STOP or any(ch.isdigit() for ch in token):
        return False
    if " " in token:
        return all(is_content_term(t) for t in token.split(" "))
    return not (_HANGUL_WORD.match(token) and token.endswith(_VERB_ENDINGS))


def _strip_korean(token: str) -> str:
    if len(token) > 2 and token.endswith(_KO_SUFFIXES) and _HANGUL_WORD.match(token):
        for suffix in _KO_SUFFIXES:
            if token.endswith(suffix) and len(token) - len(suffix) >= 2:
                return token[: -len(suffix)]
    return token


# Raw token -> the token word_tokens keeps ("" when it drops it). Tokens repeat
# across texts (Zipf), so each is stripped and checked once; bounded.
_TOKEN_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 500_000


def _keep(tok: str) -> str:
    kept = _strip_korean(tok)
    if len(kept) <= 1 or kept in _STOP or kept.isdigit():
        kept = ""
    if len(_TOKEN_CACHE) >= _CACHE_LIMIT:
        _TOKEN_CACHE.clear()
    _TOKEN_CACHE[tok] = kept
    return kept


def _key_tokens(key: str) -> list[str]:
    """word_tokens of a text already passed through :func:`terms.normalise_text`."""
    get = _TOKEN_CACHE.get
    out = []
    for tok in _TOKEN.findall(key):
        kept = get(tok)
        if kept is None:
            kept = _keep(tok)
        if kept:
            out.append(kept)
    return out


def word_tokens(text: str) -> list[str]:
    """Normalised word tokens: case-folded, Korean particles stripped, stop words and 1-letter tokens dropped."""
    return _key_tokens(terms.normalise_text(text))


def word_analyzer(text: str) -> list[str]:
    """The word channel's features of a text: its word tokens and their bigrams."""
    toks = word_tokens(text)
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]


#: The kinds whose labels a text is expanded with, in this order (regions are not: they are not the subject).
_EXPANDED = ("problem_type", "industry", "process")


def _expansion(key: str) -> list[str]:
    """Both labels of every problem type, industry and manufacturing process found in a normalised text."""
    extra = []
    for kind in _EXPANDED:
        entries = taxonomy.by_code(kind)
        extra.extend(f"{entries[code].ko} {entries[code].en}" for code, _ in terms.find_codes(key, kind))
    return extra


def expand_text(text: str) -> str:
    """``text`` followed by both labels of every problem type and industry it mentions."""
    if not isinstance(text, str) or not text.strip():
        return text
    extra = _expansion(terms.normalise_text(text))
    return text if not extra else text + "\n" + "\n".join(extra)


@cache
def _label_tokens(label: str) -> tuple[str, ...]:
    return tuple(word_tokens(label))


def analyse(text: str, expand: bool) -> tuple[str, list[str]]:
    """``(prepared text, its word tokens)`` with one normalisation of ``text``.

    The same as ``(prepare(text), word_tokens(prepare(text)))``: the labels are
    appended after a newline, which neither NFKC nor a ``\\w+`` token crosses.
    """
    key = terms.normalise_text(text)
    toks = _key_tokens(key)
    if expand and key:
        extra = _expansion(key)
        if extra:
            for label in extra:
                toks.extend(_label_tokens(label))
            return text + "\n" + "\n".join(extra), toks
    return text, toks
