"""Rows as the output contracts the API answers and the pages show (one place, in the reader's language).

Nothing here reads a holdout's content: the evaluation's stored result holds aggregates only, and the
chart is the confusion matrix or the spread of the errors, never the rows' true values.
"""

from __future__ import annotations

from sqlmodel import Session

import acceptance
from marketplace.agreements import services as agreements
from marketplace.agreements.models import Agreement
from marketplace.outcomes import services
from marketplace.outcomes.models import Evaluation, FollowUp, Holdout, Measurement
from marketplace.outcomes.schemas import (
    KpiEvaluationOut,
    FollowUpOut,
    HoldoutOut,
    KpiResultOut,
    MeasurementOut,
    ProtocolOut,
)
from marketplace.outcomes.services.common import language


def holdout_out(h: Holdout, kpi_id: int | None) -> HoldoutOut:
    return HoldoutOut(kpi_id=kpi_id, kpi=h.kpi_name, sha256=h.sha256, rows=h.rows, columns=list(h.columns),
                      id_column=h.id_column, value_column=h.value_column, uploaded_at=h.created_at)


def protocols_out(session: Session, agreement: Agreement) -> list[ProtocolOut]:
    """How each KPI of the current version is measured (KPIs without a protocol are left out)."""
    terms = agreements.terms_of(agreements.get_version(session, agreement))
    ids = services.kpi_ids(session, agreement)
    lang = language()
    out = []
    for kpi in terms.kpis:
        p = kpi.protocol
        if p is None:
            continue
        protocol = services.protocol_of(kpi)
        seal = p.holdout
        out.append(ProtocolOut(kpi_id=ids.get(kpi.name), kpi=kpi.name, metric=p.metric, data=p.data,
                               unit=protocol.unit or "", direction=protocol.direction.value,
                               target=str(protocol.target), decimals=p.decimals,
                               rule=p.rule_ko if lang == "ko" else p.rule_en,
                               holdout_sha256=seal.sha256 if seal else None, holdout_rows=seal.rows if seal else None,
                               holdout_columns=list(seal.columns) if seal else None))
    return out


def _result_out(r: dict, lang: str) -> KpiResultOut:
    return KpiResultOut(kpi=r["kpi"], metric=r["metric"], value=r["value"], target=r["target"],
                        direction=r["direction"], unit=r.get("unit"), passed=r["passed"],
                        summary=r["summary"]["ko" if lang == "ko" else "en"])


def evaluation_out(session: Session, e: Evaluation) -> KpiEvaluationOut:
    lang = language()
    results = [_result_out(r, lang) for group in e.result.get("evaluations", []) for r in group["results"]]
    agreement = session.get(Agreement, e.agreement_id)
    terms = agreements.terms_of(agreements.get_version(session, agreement, agreement.signed_version))
    waiver = services.waiver_of(session, e)
    chart = e.chart_ko if lang == "ko" else e.chart_en
    summary = acceptance.Text(f"KPI 달성 {e.passed_count}/{e.total}", f"KPIs met: {e.passed_count}/{e.total}")
    return KpiEvaluationOut(id=e.id, milestone_id=e.milestone_id, attempt=e.attempt, attempts_allowed=terms.max_attempts,
                         predictions_sha256=e.predictions_sha256, holdout_sha256=e.holdout_sha256, rows=e.rows,
                         passed=e.passed, passed_count=e.passed_count, total=e.total, results=results,
                         summary=summary.get(lang), chart_svg=chart.decode("utf-8") if chart else None,
                         waived=waiver is not None, waiver_reason=waiver.reason if waiver else None,
                         created_at=e.created_at)


def follow_up_out(f: FollowUp) -> FollowUpOut:
    return FollowUpOut(id=f.id, agreement_id=f.agreement_id, months=f.months, due_on=f.due_on, asked_at=f.asked_at,
                       answered_at=f.answered_at, still_in_use=f.still_in_use, kpi=f.kpi_name, kpi_value=f.kpi_value,
                       evidence=f.evidence)


def measurement_out(m: Measurement) -> MeasurementOut:
    r = m.result
    return MeasurementOut(id=m.id, milestone_id=m.milestone_id, kpi=m.kpi_name, value=m.value, target=r["target"],
                          passed=m.passed, summary=r["summary"]["ko" if language() == "ko" else "en"],
                          evidence=m.evidence, created_at=m.created_at)
