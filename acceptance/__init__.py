"""KPI acceptance measured by the platform: protocols, files, metrics, verdicts, charts.

A plain library: no Flask, no database, no ``marketplace`` import. Plain data and bytes
in, plain frozen results out; every problem is an :class:`AcceptanceError` holding
:class:`Message` objects (code, params, Korean and English text, and the field or the
row and column concerned).

The flow the web app follows::

    from acceptance import (Protocol, read_table, check_holdout, evaluate, measure,
                            render_chart, suggestions, Role)

    # 1. The wizard: offer suggestions per problem type, build one protocol per KPI.
    offered = suggestions(["visual_inspection"])            # Suggestion objects
    recall = offered[0].protocol(target="95")                # Protocol (validated)
    Protocol(kpi="시간당 생산량", metric="measured_value", target=120, unit="개/시간",
             direction="higher", period="검수 4주간 MES 생산 실적")
    recall.describe("ko")                                    # the acceptance clause line
    recall.to_dict() / Protocol.from_dict(...)               # into the agreement terms

    # 2. The SME uploads the sealed holdout (before signing).
    holdout = read_table(data, role=Role.HOLDOUT, filename="정답.xlsx")  # Table
    check_holdout([recall], holdout)                         # does the data fit the metric?
    holdout.fingerprint.to_dict()                            # SHA-256, rows, columns: terms

    # 3. The vendor uploads predictions at an acceptance milestone.
    predictions = read_table(data, role=Role.PREDICTIONS, filename="예측.csv")
    result = evaluate([recall], holdout, predictions)        # Evaluation
    result.results[0].passed, result.results[0].value        # per KPI: rounded value, verdict
    result.to_dict()                                         # aggregates only: safe for both
    render_chart(result, lang="ko").data                     # SVG bytes

    # 4. A measured KPI: the SME enters the value with its evidence.
    measure(protocol, "1,250", evidence="3월 MES 생산 보고서 (sha256 …)")

Rules worth knowing (details in each module):

- The value is rounded half up (사사오입) to the protocol's ``decimals`` *before* it is
  compared with the target; equal to the target passes.
- Percent metrics (MAPE, accuracy, precision, recall, F1, defect rate) are 0-100.
- Rows are numbered as a spreadsheet shows them (header = row 1), columns by letter.
- The holdout's rows never leave through ``to_dict``; only ``Evaluation.pairs()`` and the
  ``predicted_vs_actual`` chart show them, and those are for the SME only.
- :func:`check_size` refuses a file by its declared size before it is read.
"""

from .chart import Chart, ChartKind, korean_font, render_chart
from .defaults import FALLBACK, SUGGESTIONS, Suggestion, suggestions
from .evaluation import Evaluation, KpiResult, check_holdout, evaluate, measure
from .messages import CATALOGUE, AcceptanceError, Message, Text
from .metrics import METRICS, DataKind, Direction, Family, Metric, MetricInfo
from .protocol import MAX_DECIMALS, Protocol
from .reading import (DEFAULT_LIMITS, Fingerprint, Limits, Role, Table, check_size,
                      predictions_template, read_table)

__all__ = [
    "CATALOGUE", "DEFAULT_LIMITS", "FALLBACK", "MAX_DECIMALS", "METRICS", "SUGGESTIONS",
    "AcceptanceError", "Chart", "ChartKind", "DataKind", "Direction", "Evaluation", "Family",
    "Fingerprint", "KpiResult", "Limits", "Message", "Metric", "MetricInfo", "Protocol",
    "Role", "Suggestion", "Table", "Text", "check_holdout", "check_size", "evaluate",
    "korean_font", "measure", "predictions_template", "read_table", "render_chart",
    "suggestions",
]
