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
