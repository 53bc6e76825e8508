"""Reading a holdout or a predictions file: CSV or XLSX bytes in, a :class:`Table` out.

The rules, as the pages should explain them:

- **Size first.** A file over ``Limits.max_bytes`` is refused before anything is parsed
  (:func:`check_size` lets the app refuse on the declared length before reading the body).
- **Type by content, not by name.** A ZIP whose content types say "spreadsheet" is an
  XLSX workbook (its first worksheet is read); any other ZIP, an old ``.xls`` or
  password-protected workbook, binary content, or a file named ``.xlsx`` that is not one
  is refused. Everything else is read as CSV text.
- **Encodings.** UTF-8 with or without BOM, CP949 / EUC-KR (what Korean Excel writes for
  "CSV (쉼표로 분리)"), and UTF-16 with a BOM (Excel's "유니코드 텍스트"). The delimiter
  is the one of comma, tab or semicolon the header row uses most (comma on a tie).
- **Layout.** The first row that is not blank is the header: one name per column, none
  blank, none repeated, none a number (a number there means the header is missing).
  Blank rows are skipped. Rows are numbered as a spreadsheet shows them (header = row 1
  when it is the first line), columns by letter.
- **Choosing columns.** A column is given by its header name (``"실제값"``; case, spaces
  and Unicode form do not matter) or by its 1-based position (``2`` = column B). Left
  out, the id column is the first whose header is a known id name (번호, ID, 순번,
  날짜, ...) or else column A; the value column is the first other column whose header
  is a known name for the role (정답/실제값/label/actual for a holdout, 예측값/prediction
  for predictions), or else, in a file of exactly two columns, the other one.
- **Cells.** Ids and values are compared after trimming and Unicode NFC; a whole number
  written with a point (``12.0``) counts as ``12``. A blank id or value, an id starting
  with ``=``, a cell over ``max_cell_chars`` and a repeated id are each reported with
  their row and column. Whether a value must be a number is the metric's business
  (see :mod:`acceptance.evaluation`).
"""

from __future__ import annotations

import codecs
import csv
import enum
import hashlib
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from . import decoding
from .messages import AcceptanceError, Message, Text, column_letter, message
from .numbers import canonical, parse_number

__all__ = ["DEFAULT_LIMITS", "Fingerprint", "Limits", "Role", "Table", "check_size",
           "predictions_template", "read_table"]


class Role(enum.StrEnum):
    HOLDOUT = "holdout"          # the SME's sealed truth file
    PREDICTIONS = "predictions"  # the vendor's predictions for the holdout ids


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024           # 20 MiB as uploaded
    max_unzipped_bytes: int = 200 * 1024 * 1024  # an XLSX once unpacked
    max_rows: int = 100_000                      # data rows
    max_columns: int = 100
    max_cell_chars: int = 200                    # an id or a value


DEFAULT_LIMITS = Limits()

ID_NAMES = ("id", "번호", "순번", "일련번호", "아이디", "식별자", "식별번호", "샘플번호", "샘플id",
            "no", "no.", "key", "코드", "code", "날짜", "일자", "date", "시각", "timestamp")
VALUE_NAMES = {
    Role.HOLDOUT: ("정답", "실제값", "실제", "참값", "라벨", "레이블", "판정", "결과", "label",
                   "truth", "actual", "y_true", "target", "y", "값", "value"),
    Role.PREDICTIONS: ("예측값", "예측", "예측결과", "예측 결과", "prediction", "predicted",
                       "pred", "y_pred", "forecast", "값", "value"),
}

_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xls")


@dataclass(frozen=True)
class Fingerprint:
    """What the agreement records about a holdout before signing."""

    sha256: str
    rows: int
    columns: tuple[str, ...]
    id_column: str
    value_column: str

    def to_dict(self) -> dict:
        return {"sha256": self.sha256, "rows": self.rows, "columns": list(self.columns),
                "id_column": self.id_column, "value_column": self.value_column}


@dataclass(frozen=True)
class Table:
    """An id column and a value column, row by row, as read from one file."""

    ids: tuple[str, ...]
    values: tuple[str, ...]
    rows: tuple[int, ...]       # spreadsheet row number of each entry
    columns: tuple[str, ...]    # every header name, in order
    id_position: int            # 1-based
    value_position: int         # 1-based
    sha256: str                 # of the file's bytes
    size: int                   # bytes
    format: str                 # "csv" or "xlsx"
    encoding: str | None        # for CSV: "utf-8", "utf-8-sig", "cp949" or "utf-16"

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def id_column(self) -> str:
        return self.columns[self.id_position - 1]

    @property
    def value_column(self) -> str:
        return self.columns[self.value_position - 1]

    @property
    def value_letter(self) -> str:
        return column_letter(self.value_position)

    @property
    def id_letter(self) -> str:
        return column_letter(self.id_position)

    @property
    def fingerprint(self) -> Fingerprint:
        return Fingerprint(self.sha256, len(self.ids), self.columns, self.id_column,
                           self.value_column)


def check_size(size: int, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a file by its size alone (before reading or parsing it)."""
    if size > limits.max_bytes:
        raise AcceptanceError(message("file_too_large", size_mb=decoding.mb(size),
                                      limit_mb=decoding.mb(limits.max_bytes)))


def read_table(data: bytes, *, role: Role | str = Role.HOLDOUT, filename: str | None = None,
               id_column: str | int | None = None, value_column: str | int | None = None,
               limits: Limits = DEFAULT_LIMITS) -> Table:
    """Read ``data`` (the uploaded bytes) into a :class:`Table`, or raise
    :class:`~acceptance.messages.AcceptanceError` naming every problem by row and column.

    ``filename`` is used only to refuse a file that claims to be a workbook and is not.
    """
    role = Role(role)
    check_size(len(data), limits)
    data = bytes(data)
    if not data.strip(b" \t\r\n\x00").removeprefix(codecs.BOM_UTF8).strip():
        raise AcceptanceError(message("empty_file"))
    if data.startswith((_ZIP, _EMPTY_ZIP)):
        fmt, encoding, rows = "xlsx", None, decoding.xlsx_rows(data, limits.max_unzipped_bytes)
    elif data.startswith(_OLE2):
        raise AcceptanceError(message("xls_not_supported"))
    elif filename and filename.lower().rstrip().endswith(_EXCEL_SUFFIXES):
        raise AcceptanceError(message("not_xlsx"))
    else:
        text, encoding = decoding.decode(data)
        fmt, rows = "csv", decoding.csv_rows(text)
    header = _header(rows, limits)
    id_pos, value_pos = _choose_columns(header, role, id_column, value_column)
    ids, values, numbers = _cells(rows, header, id_pos, value_pos, limits)
    return Table(ids=tuple(ids), values=tuple(values), rows=tuple(numbers),
                 columns=tuple(header), id_position=id_pos, value_position=value_pos,
                 sha256=hashlib.sha256(data).hexdigest(), size=len(data), format=fmt,
                 encoding=encoding)


def predictions_template(holdout: Table) -> bytes:
    """A CSV (UTF-8 with BOM, so Excel shows Korean) of the holdout's ids with an empty
    예측값 column, for the vendor to fill in. It holds no truth."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([holdout.id_column, "예측값"])
    for id_ in holdout.ids:
        writer.writerow([id_, ""])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


# --- rows to a table ----------------------------------------------------------------------

def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _header(rows: Iterator[tuple[int, list[str]]], limits: Limits) -> list[str]:
    for number, row in rows:
        cells = [unicodedata.normalize("NFC", c).strip() for c in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        errors = [message("blank_header", column=column_letter(i))
                  for i, c in enumerate(cells, 1) if not c]
        if len(cells) > limits.max_columns:
            raise AcceptanceError(message("too_many_columns", count=len(cells),
                                          limit=limits.max_columns))
        numeric = next((i for i, c in enumerate(cells, 1) if c and _is_number(c)), None)
        if numeric is not None:  # data where the names should be: no header
            raise AcceptanceError(message("missing_header", row=number,
                                          column=column_letter(numeric),
                                          value=cells[numeric - 1][:40]))
        seen: dict[str, list[int]] = {}
        for i, c in enumerate(cells, 1):
            if c:
                seen.setdefault(_key(c), []).append(i)
        for positions in seen.values():
            if len(positions) > 1:
                errors.append(message("duplicate_header", name=cells[positions[0] - 1],
                                      columns=", ".join(column_letter(p) for p in positions)))
        if errors:
            raise AcceptanceError(errors)
        return cells
    raise AcceptanceError(message("empty_file"))


def _is_number(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except OverflowError:
        return True


def _listing(header: list[str]) -> str:
    return ", ".join(f"{column_letter(i)} '{name}'" for i, name in enumerate(header, 1))


def _find(header: list[str], ref: str | int, field: str) -> int:
    if isinstance(ref, bool) or not isinstance(ref, int | str):
        raise TypeError(f"{field} must be a column name or a 1-based position")
    if isinstance(ref, int):
        if not 1 <= ref <= len(header):
            raise AcceptanceError(message("column_out_of_range", field=field, position=ref,
                                          count=len(header), columns=_listing(header)))
        return ref
    keys = [_key(name) for name in header]
    if _key(ref) not in keys:
        raise AcceptanceError(message("column_not_found", field=field, name=ref.strip(),
                                      columns=_listing(header)))
    return keys.index(_key(ref)) + 1


def _choose_columns(header: list[str], role: Role, id_ref, value_ref) -> tuple[int, int]:
    keys = [_key(name) for name in header]
    if id_ref is not None:
        id_pos = _find(header, id_ref, "id_column")
    else:
        id_pos = next((i for i, k in enumerate(keys, 1) if k in ID_NAMES), 1)
    if value_ref is not None:
        value_pos = _find(header, value_ref, "value_column")
    else:
        names = VALUE_NAMES[role]
        candidates = [i for i, k in enumerate(keys, 1) if k in names and i != id_pos]
        if candidates:
            value_pos = min(candidates, key=lambda i: names.index(keys[i - 1]))
        elif len(header) == 2:
            value_pos = 3 - id_pos
        else:
            raise AcceptanceError(message("value_column_unknown", field="value_column",
                                          columns=_listing(header)))
    if id_pos == value_pos:
        raise AcceptanceError(message("same_column", field="value_column",
                                      column=column_letter(id_pos), name=header[id_pos - 1]))
    return id_pos, value_pos


def _cells(rows, header: list[str], id_pos: int, value_pos: int,
           limits: Limits) -> tuple[list[str], list[str], list[int]]:
    ids: list[str] = []
    values: list[str] = []
    numbers: list[int] = []
    errors: list[Message] = []
    first_row: dict[str, int] = {}
    repeats: dict[str, list[int]] = {}
    id_name, value_name = header[id_pos - 1], header[value_pos - 1]
    id_letter, value_letter = column_letter(id_pos), column_letter(value_pos)
    for number, row in rows:
        if not any(c.strip() for c in row):
            continue
        if len(ids) >= limits.max_rows:
            raise AcceptanceError(message("too_many_rows", limit=limits.max_rows))
        cells = []
        for pos, letter, name in ((id_pos, id_letter, id_name),
                                  (value_pos, value_letter, value_name)):
            text = canonical(row[pos - 1]) if pos <= len(row) else ""
            if not text:
                errors.append(message("blank_cell", row=number, column=letter, name=name))
            elif len(text) > limits.max_cell_chars:
                errors.append(message("cell_too_long", row=number, column=letter, name=name,
                                      limit=limits.max_cell_chars))
            cells.append(text)
        id_, value = cells
        if id_.startswith("="):
            errors.append(message("formula_id", row=number, column=id_letter, name=id_name))
        if id_ in first_row:
            repeats.setdefault(id_, [first_row[id_]]).append(number)
        elif id_:
            first_row[id_] = number
        ids.append(id_)
        values.append(value)
        numbers.append(number)
    if repeats:
        first = list(repeats.items())[:5]
        examples = Text(
            ", ".join(f"'{id_}'({'·'.join(map(str, rows_))}행)" for id_, rows_ in first),
            ", ".join(f"'{id_}' (rows {', '.join(map(str, rows_))})" for id_, rows_ in first))
        errors.append(message("duplicate_ids", column=id_letter, name=id_name,
                              count=len(repeats), examples=examples))
    if errors:
        raise AcceptanceError(errors)
    if not ids:
        raise AcceptanceError(message("no_data_rows"))
    return ids, values, numbers
