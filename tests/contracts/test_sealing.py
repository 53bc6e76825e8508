"""The platform-measured KPI protocol and the holdout seal in the terms, the HTML and the PDF."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess

import pytest

from contracts import (DEFAULT_MAX_ATTEMPTS, Holdout, KpiProtocol, TermsError, diff_terms, draft_html,
                       render_pdf, terms_from_dict, terms_to_dict)
from contracts.examples import bakery_terms
from tests.contracts.test_drafting import text_of

SHA = "ab" * 32
SEAL = Holdout(sha256=SHA, rows=240, columns=("번호", "실제값", "비고"), id_column="번호", value_column="실제값")
PROTOCOL = KpiProtocol(metric="mape", data="holdout", decimals=1,
                       rule_ko="수요 예측 오차: MAPE은 … 이하이면 충족한 것으로 본다.",
                       rule_en="Forecast error: MAPE is … The KPI is met if …", holdout=SEAL)


def sealed_terms(**changes):
    terms = bakery_terms(**changes)
    first = dataclasses.replace(terms.kpis[0], protocol=PROTOCOL)
    return terms.replace(kpis=(first, *terms.kpis[1:]))


def test_protocol_round_trips_through_the_terms_data():
    terms = sealed_terms()
    data = terms_to_dict(terms)
    assert data["kpis"][0]["protocol"]["holdout"] == {
        "sha256": SHA, "rows": 240, "columns": ["번호", "실제값", "비고"], "id_column": "번호",
        "value_column": "실제값"}
    assert data["max_attempts"] == DEFAULT_MAX_ATTEMPTS == 3
    assert terms_from_dict(data) == terms


def test_terms_without_a_protocol_still_read_as_before():
    data = terms_to_dict(bakery_terms())
    for kpi in data["kpis"]:
        del kpi["protocol"]
    del data["max_attempts"]
    assert terms_from_dict(data) == bakery_terms()


@pytest.mark.parametrize("bad", [{"sha256": "xyz"}, {"rows": 0}, {"columns": ()}])
def test_a_broken_seal_is_refused(bad):
    with pytest.raises(TermsError):
        dataclasses.replace(SEAL, **bad)


def test_a_measured_protocol_has_no_holdout():
    with pytest.raises(TermsError) as exc:
        dataclasses.replace(PROTOCOL, data="measured")
    assert exc.value.field == "kpi.protocol.holdout"


def test_sealing_a_holdout_is_a_change_of_terms():
    changes = diff_terms(bakery_terms(), sealed_terms())
    assert [c.label("ko") for c in changes] == [f"KPI ‘{bakery_terms().kpis[0].name}’ · 플랫폼 측정 방법"]


@pytest.mark.parametrize("lang,words", [("ko", ["240행", "ID 열 ‘번호’", "3회까지"]),
                                        ("en", ["240 rows", "id column ‘번호’", "3 time(s)"])])
def test_the_agreement_states_the_rule_and_the_seal(lang, words):
    html = text_of(draft_html(sealed_terms(), lang))
    assert SHA in html
    assert (PROTOCOL.rule_ko if lang == "ko" else PROTOCOL.rule_en) in html
    for word in words:
        assert word in html
    assert SHA not in text_of(draft_html(bakery_terms(), lang))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_pdf_carries_the_seal_in_both_languages(lang, tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(render_pdf(sealed_terms(), lang))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert SHA in "".join(text.split())
