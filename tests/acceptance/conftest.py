"""Builders for the files SMEs and vendors upload: CSV as Excel writes it, and XLSX."""

from __future__ import annotations

import codecs
import csv
import io

import openpyxl
import pytest

from acceptance import Protocol, Role, read_table

OK_DEFECT = ("양품", "불량")


def csv_bytes(header, rows, *, encoding: str = "utf-8", bom: bool = False,
              delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (codecs.BOM_UTF8 + data) if bom else data


def xlsx_bytes(header, rows, *, title: str = "Sheet1") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table(values, *, role: Role = Role.HOLDOUT, ids=None, header=None):
    """A Table of ``values`` keyed 1, 2, 3, ... (or ``ids``), read back from a CSV."""
    ids = list(ids) if ids is not None else [str(i) for i in range(1, len(values) + 1)]
    header = header or ("id", "정답" if role is Role.HOLDOUT else "예측값")
    return read_table(csv_bytes(header, zip(ids, values, strict=True)), role=role)


def predictions(values, ids=None):
    return table(values, role=Role.PREDICTIONS, ids=ids)


def classifier(metric: str, target, positive: str | None = "불량", **kw) -> Protocol:
    return Protocol(kpi=f"{metric} KPI", metric=metric, target=target, classes=OK_DEFECT,
                    positive_class=positive, **kw)


@pytest.fixture
def defect_files():
    """Ten inspected items: 5 defects of which 3 are caught, 5 good of which 1 is rejected.

    tp = 3, fn = 2, fp = 1, tn = 4.
    """
    truth = ["불량"] * 5 + ["양품"] * 5
    predicted = ["불량", "불량", "불량", "양품", "양품", "불량", "양품", "양품", "양품", "양품"]
    return table(truth), predictions(predicted)


# A fresh interpreter runs the whole flow once per session: the boundary test reads the
# modules it loaded, the chart test compares its SVG with this process's.
FRESH_FLOW = """
import json, sys
from acceptance import Protocol, Role, evaluate, read_table, render_chart
truth = ['불량'] * 5 + ['양품'] * 5
pred = ['불량', '불량', '불량', '양품', '양품', '불량', '양품', '양품', '양품', '양품']
def csv(header, values):
    rows = ''.join(f'{i},{v}\\r\\n' for i, v in enumerate(values, 1))
    return (header + '\\r\\n' + rows).encode()
holdout = read_table(csv('id,정답', truth))
predicted = read_table(csv('id,예측값', pred), role=Role.PREDICTIONS)
kpi = Protocol('recall KPI', 'recall', 60, classes=('양품', '불량'), positive_class='불량')
svg = render_chart(evaluate([kpi], holdout, predicted), lang='ko').data.decode()
print(json.dumps({"modules": sorted(sys.modules), "svg": svg}))
"""


@pytest.fixture(scope="session")
def fresh_flow() -> dict:
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONHASHSEED="12345")
    result = subprocess.run([sys.executable, "-c", FRESH_FLOW], capture_output=True,
                            check=True, cwd=root, env=env, text=True)
    return json.loads(result.stdout)
