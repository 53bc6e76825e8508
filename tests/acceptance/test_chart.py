"""The evaluation chart: deterministic bytes, Korean drawn with a Korean font."""

from __future__ import annotations

import re

import pytest

from acceptance import ChartKind, Protocol, evaluate, korean_font, render_chart
from acceptance import chart as chart_module

from .conftest import classifier, predictions, table


@pytest.fixture
def defects(defect_files):
    holdout, predicted = defect_files
    return evaluate([classifier("recall", 60)], holdout, predicted)


@pytest.fixture
def forecast():
    truth = [str(100 + 7 * i % 50) for i in range(30)]
    predicted = [str(100 + 7 * i % 50 + (i % 5) - 2) for i in range(30)]
    return evaluate([Protocol("오차", "mae", 3, unit="개")], table(truth), predictions(predicted))


def svg_texts(svg: bytes) -> list[str]:
    """matplotlib writes each text's string as a comment before its glyph outlines."""
    return [t.strip() for t in re.findall(r"<!-- (.*?) -->", svg.decode("utf-8"))]


def glyph_id(font_family: str, char: str) -> str:
    """The id matplotlib gives a character's outline in the SVG (font-glyphindex)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_family, fallback_to_default=False)
    font = FT2Font(path)
    return f"{font.postscript_name}-{font.get_char_index(ord(char)):x}"


def test_a_korean_font_is_installed_and_found():
    assert korean_font() == "NanumGothic"   # Debian's fonts-nanum (make system-packages-*)


def test_the_confusion_matrix_draws_korean_labels_with_the_korean_font(defects):
    chart = render_chart(defects, lang="ko")
    assert (chart.kind, chart.media_type, chart.lang, chart.font) == (
        ChartKind.CONFUSION_MATRIX, "image/svg+xml", "ko", "NanumGothic")
    texts = svg_texts(chart.data)
    assert {"혼동 행렬 (행 10개)", "예측", "실제", "양품", "불량", "4", "3"} <= set(texts)
    svg = chart.data.decode()
    for char in "혼불량":
        assert f'id="{glyph_id("NanumGothic", char)}"' in svg   # the glyph is drawn
    assert not chart.reveals_holdout
    assert "실제 '불량'을(를) '양품'(으)로 예측: 2행" in chart.alt


def test_english_texts(defects):
    chart = render_chart(defects, lang="en-US")
    assert {"Confusion matrix (10 rows)", "Predicted", "Actual"} <= set(svg_texts(chart.data))
    assert chart.lang == "en"


def test_the_same_evaluation_gives_the_same_bytes_in_another_process(defects, fresh_flow):
    here = render_chart(defects, lang="ko").data
    assert render_chart(defects, lang="ko").data == here
    assert b"<dc:date>" not in here
    # the same chart drawn by a fresh interpreter with another hash seed
    assert fresh_flow["svg"].encode() == here


def test_numbers_default_to_the_error_histogram_which_keeps_the_holdout(forecast):
    chart = render_chart(forecast)
    assert chart.kind is ChartKind.ERROR_HISTOGRAM and not chart.reveals_holdout
    assert {"오차 분포: 예측값 − 실제값 (행 30개)", "오차 (개)", "행 수"} <= set(svg_texts(chart.data))


def test_predicted_vs_actual_is_marked_as_showing_the_holdout(forecast):
    chart = render_chart(forecast, kind="predicted_vs_actual", lang="ko")
    assert chart.reveals_holdout
    assert {"예측값과 실제값 (행 30개)", "실제값 (개)", "예측값 (개)"} <= set(svg_texts(chart.data))


def test_many_points_are_binned(forecast, monkeypatch):
    monkeypatch.setattr(chart_module, "SCATTER_LIMIT", 5)
    binned = render_chart(forecast, kind="predicted_vs_actual").data
    monkeypatch.setattr(chart_module, "SCATTER_LIMIT", 5000)
    assert binned != render_chart(forecast, kind="predicted_vs_actual").data


def test_png_is_deterministic_too(defects):
    first = render_chart(defects, fmt="png")
    assert first.media_type == "image/png" and first.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert render_chart(defects, fmt="png").data == first.data


def test_a_chart_must_fit_the_evaluation(defects):
    with pytest.raises(ValueError, match="does not fit"):
        render_chart(defects, kind="error_histogram")
    with pytest.raises(ValueError):
        render_chart(defects, fmt="gif")


def test_without_a_korean_font_the_chart_falls_back_to_english(defects, monkeypatch):
    monkeypatch.setattr(chart_module, "korean_font", lambda: None)
    chart = render_chart(defects, lang="ko")
    assert (chart.lang, chart.font) == ("en", "DejaVu Sans")
    texts = svg_texts(chart.data)
    assert {"Confusion matrix (10 rows)", "#1", "#2"} <= set(texts)
    assert not any("가" <= c <= "힣" for t in texts for c in t)   # no boxes for Hangul
    assert "actual '#2' predicted '#1': 2 rows" in chart.alt


def test_a_font_cache_made_before_the_korean_fonts_were_installed(monkeypatch):
    from matplotlib import font_manager

    without = [f for f in font_manager.fontManager.ttflist if "Nanum" not in f.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", without)
    assert korean_font.__wrapped__() == "NanumGothic"
