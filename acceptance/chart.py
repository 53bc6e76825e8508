"""A small server-side chart of an evaluation, as SVG (or PNG) bytes.

Rendered with matplotlib without pyplot (no global figure state) and nothing fetched:
the same evaluation gives the same bytes in any process (a fixed ``svg.hashsalt``, no
date in the metadata, text drawn as glyph outlines). Korean text uses a Korean font
found through matplotlib's font manager (Debian's ``fonts-nanum`` first); without one
the chart falls back to English texts, and any class name the fallback font cannot draw
is shown by its number (#1, #2, ...), so a chart never shows empty boxes.

Kinds:

- ``confusion_matrix`` (classification): counts per actual and predicted class.
- ``error_histogram`` (numbers): how the errors (predicted − actual) are spread.
- ``predicted_vs_actual`` (numbers): every row's prediction against its truth. **It
  shows the holdout's truths**: show it to the SME only, never to the vendor
  (``Chart.reveals_holdout``). The default for numbers is the error histogram.
"""

from __future__ import annotations

import enum
import io
import math
import threading
from dataclasses import dataclass
from functools import cache

import numpy as np

from .evaluation import Evaluation
from .messages import normalise_lang
from .metrics import Family

__all__ = ["Chart", "ChartKind", "korean_font", "render_chart"]

#: Fonts tried for Korean text, in order (family names as matplotlib knows them).
KOREAN_FONTS = ("NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR",
                "Malgun Gothic", "Apple SD Gothic Neo", "AppleGothic", "UnDotum")
FALLBACK_FONT = "DejaVu Sans"  # ships with matplotlib
#: Above this many rows a predicted-vs-actual chart bins the points (hexagons).
SCATTER_LIMIT = 2000

_SALT = "axbridge-acceptance"
_LOCK = threading.Lock()  # matplotlib's rcParams are process-global


class ChartKind(enum.StrEnum):
    CONFUSION_MATRIX = "confusion_matrix"
    ERROR_HISTOGRAM = "error_histogram"
    PREDICTED_VS_ACTUAL = "predicted_vs_actual"


_KIND_FAMILY = {ChartKind.CONFUSION_MATRIX: Family.CLASSIFICATION,
                ChartKind.ERROR_HISTOGRAM: Family.REGRESSION,
                ChartKind.PREDICTED_VS_ACTUAL: Family.REGRESSION}


@dataclass(frozen=True)
class Chart:
    data: bytes
    media_type: str         # "image/svg+xml" or "image/png"
    kind: ChartKind
    lang: str               # the language of the texts drawn ("en" without a Korean font)
    font: str               # the font family that drew the texts
    alt: str                # a text alternative for the page (in ``lang``)
    reveals_holdout: bool   # True for predicted_vs_actual: SME only


_TEXTS = {
    "confusion_title": ("혼동 행렬 (행 {n:,}개)", "Confusion matrix ({n:,} rows)"),
    "predicted": ("예측", "Predicted"),
    "actual": ("실제", "Actual"),
    "scatter_title": ("예측값과 실제값 (행 {n:,}개)", "Predicted vs actual ({n:,} rows)"),
    "actual_value": ("실제값", "Actual value"),
    "predicted_value": ("예측값", "Predicted value"),
    "perfect": ("예측 = 실제", "predicted = actual"),
    "histogram_title": ("오차 분포: 예측값 − 실제값 (행 {n:,}개)",
                        "Errors: predicted − actual ({n:,} rows)"),
    "error": ("오차", "Error"),
    "rows": ("행 수", "Rows"),
    "confusion_alt": ("혼동 행렬. {cells}.", "Confusion matrix. {cells}."),
    "confusion_cell": ("실제 '{actual}'을(를) '{predicted}'(으)로 예측: {count:,}행",
                       "actual '{actual}' predicted '{predicted}': {count:,} rows"),
    "scatter_alt": ("예측값과 실제값의 산점도, 행 {n:,}개. 대각선에 가까울수록 정확합니다.",
                    "Scatter of predicted against actual values, {n:,} rows; the closer to "
                    "the diagonal, the more accurate."),
    "histogram_alt": ("오차(예측값 − 실제값) 분포 막대그래프, 행 {n:,}개, 오차 범위 {low} ~ {high}.",
                      "Histogram of the errors (predicted − actual), {n:,} rows, from {low} "
                      "to {high}."),
}


def _t(key: str, lang: str, **params) -> str:
    ko, en = _TEXTS[key]
    return (ko if lang == "ko" else en).format(**params)


@cache
def korean_font() -> str | None:
    """The family name of an installed font that draws Hangul, or ``None``.

    Looks in matplotlib's font list first; if that list was cached before the Korean
    fonts were installed, the system's font files are searched and added.
    """
    from matplotlib import font_manager  # matplotlib loads on first chart

    def known() -> str | None:
        paths = {}
        for entry in font_manager.fontManager.ttflist:
            paths.setdefault(entry.name, entry.fname)
        return next((name for name in KOREAN_FONTS
                     if name in paths and _draws(paths[name], "한글")), None)

    found = known()
    if found is None:
        hints = ("nanum", "notosanscjk", "notosanskr", "malgun", "applegothic", "undotum")
        for path in sorted(font_manager.findSystemFonts()):
            if any(h in path.lower().replace("-", "").replace("_", "") for h in hints):
                font_manager.fontManager.addfont(path)
        found = known()
    return found


@cache
def _fallback_path() -> str:
    from matplotlib import font_manager

    return font_manager.findfont(FALLBACK_FONT, fallback_to_default=True)


def _draws(path: str, text: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except (OSError, RuntimeError):
        return False
    return all(font.get_char_index(ord(c)) for c in text if not c.isspace())


def render_chart(evaluation: Evaluation, *, kind: ChartKind | str | None = None,
                 lang: str = "ko", fmt: str = "svg") -> Chart:
    """Draw ``evaluation``. ``kind`` defaults to the confusion matrix (classification)
    or the error histogram (numbers); ``fmt`` is ``"svg"`` or ``"png"``."""
    if kind is None:
        kind = (ChartKind.CONFUSION_MATRIX if evaluation.family is Family.CLASSIFICATION
                else ChartKind.ERROR_HISTOGRAM)
    kind = ChartKind(kind)
    if _KIND_FAMILY[kind] is not evaluation.family:
        raise ValueError(f"a {kind.value} chart does not fit a {evaluation.family.value} "
                         f"evaluation")
    if fmt not in ("svg", "png"):
        raise ValueError("fmt must be 'svg' or 'png'")
    lang = normalise_lang(lang)
    family = korean_font()
    if family is None:
        lang, fonts = "en", [FALLBACK_FONT]
    else:
        fonts = [family, FALLBACK_FONT]

    import matplotlib  # loaded on the first chart, not with the library
    from matplotlib.figure import Figure

    settings = {"svg.hashsalt": _SALT, "svg.fonttype": "path", "font.family": fonts,
                "font.size": 9, "axes.unicode_minus": False, "path.simplify": False}
    with _LOCK, matplotlib.rc_context(settings):
        figure = Figure(figsize=(4.8, 3.8), layout="constrained")
        axes = figure.add_subplot()
        if kind is ChartKind.CONFUSION_MATRIX:
            alt = _confusion(axes, evaluation, lang, family is not None)
        elif kind is ChartKind.PREDICTED_VS_ACTUAL:
            alt = _scatter(axes, evaluation, lang)
        else:
            alt = _histogram(axes, evaluation, lang)
        buffer = io.BytesIO()
        if fmt == "svg":
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        else:
            figure.savefig(buffer, format="png", dpi=120, metadata={"Software": None})
    return Chart(buffer.getvalue(), "image/svg+xml" if fmt == "svg" else "image/png", kind,
                 lang, fonts[0], alt, kind is ChartKind.PREDICTED_VS_ACTUAL)


def _class_names(classes: tuple[str, ...], korean: bool) -> list[str]:
    if korean:
        return list(classes)
    path = _fallback_path()
    return [c if _draws(path, c) else f"#{i}" for i, c in enumerate(classes, 1)]


def _confusion(axes, evaluation: Evaluation, lang: str, korean: bool) -> str:
    matrix = evaluation.matrix
    names = _class_names(evaluation.classes, korean)
    k = len(names)
    peak = max((max(row) for row in matrix), default=0) or 1
    axes.pcolormesh([[c / peak for c in row] for row in matrix], cmap="Blues", vmin=0, vmax=1,
                    edgecolors="white", linewidth=1)
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            axes.text(j + 0.5, i + 0.5, f"{count:,}", ha="center", va="center",
                      color="white" if count / peak > 0.55 else "#1a1a1a", fontsize=11)
    ticks = [i + 0.5 for i in range(k)]
    axes.set_xticks(ticks, names)
    axes.set_yticks(ticks, names)
    axes.set_xlim(0, k)
    axes.set_ylim(k, 0)  # the first class on top
    axes.set_xlabel(_t("predicted", lang))
    axes.set_ylabel(_t("actual", lang))
    axes.set_title(_t("confusion_title", lang, n=evaluation.rows))
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    cells = ", ".join(_t("confusion_cell", lang, actual=names[i], predicted=names[j],
                         count=matrix[i][j]) for i in range(k) for j in range(k))
    return _t("confusion_alt", lang, cells=cells)


def _floats(evaluation: Evaluation) -> tuple[np.ndarray, np.ndarray]:
    truths, predictions = evaluation.pairs()
    return (np.array([float(t) for t in truths], dtype=np.float64),
            np.array([float(p) for p in predictions], dtype=np.float64))


def _label(text: str, unit: str) -> str:
    return f"{text} ({unit})" if unit else text


def _scatter(axes, evaluation: Evaluation, lang: str) -> str:
    truths, predictions = _floats(evaluation)
    unit = evaluation.unit
    low = float(min(truths.min(), predictions.min()))
    high = float(max(truths.max(), predictions.max()))
    pad = (high - low) * 0.05 or 1.0
    if len(truths) <= SCATTER_LIMIT:
        axes.scatter(truths, predictions, s=12, alpha=0.6, color="#1f5fa8", linewidths=0)
    else:
        axes.hexbin(truths, predictions, gridsize=30, cmap="Blues", mincnt=1,
                    extent=(low - pad, high + pad, low - pad, high + pad))
    axes.plot([low - pad, high + pad], [low - pad, high + pad], color="#c0392b",
              linewidth=1, label=_t("perfect", lang))
    axes.set_xlim(low - pad, high + pad)
    axes.set_ylim(low - pad, high + pad)
    axes.set_aspect("equal", adjustable="box")
    axes.set_xlabel(_label(_t("actual_value", lang), unit))
    axes.set_ylabel(_label(_t("predicted_value", lang), unit))
    axes.set_title(_t("scatter_title", lang, n=evaluation.rows))
    axes.legend(loc="upper left", frameon=False)
    axes.grid(True, color="#e5e5e5", linewidth=0.6)
    return _t("scatter_alt", lang, n=evaluation.rows)


def _histogram(axes, evaluation: Evaluation, lang: str) -> str:
    truths, predictions = _floats(evaluation)
    errors = predictions - truths
    bins = max(5, min(30, int(math.sqrt(len(errors)))))
    low, high = float(errors.min()), float(errors.max())
    if low == high:
        low, high = low - 0.5, high + 0.5
    axes.hist(errors, bins=bins, range=(low, high), color="#1f5fa8", edgecolor="white",
              linewidth=0.5)
    axes.axvline(0, color="#c0392b", linewidth=1)
    axes.set_xlabel(_label(_t("error", lang), evaluation.unit))
    axes.set_ylabel(_t("rows", lang))
    axes.set_title(_t("histogram_title", lang, n=evaluation.rows))
    axes.grid(True, axis="y", color="#e5e5e5", linewidth=0.6)
    return _t("histogram_alt", lang, n=evaluation.rows, low=f"{errors.min():,.4g}",
              high=f"{errors.max():,.4g}")
