"""Uploaded bytes to numbered rows of text: CSV encodings and delimiter, XLSX workbooks.

The first half of :func:`acceptance.reading.read_table` (see its module for the rules);
every refusal is an :class:`~acceptance.messages.AcceptanceError` with its row and column.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal

from .messages import AcceptanceError, Message, column_letter, message

__all__ = ["csv_rows", "decode", "mb", "xlsx_rows"]


def mb(size: int) -> str:
    """A size in MiB, as the messages show it (``20.0``)."""
    return f"{size / (1024 * 1024):,.1f}"


def decode(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of CSV bytes: UTF-16 with a BOM, UTF-8 (with or without BOM), else CP949."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise AcceptanceError(message("not_a_table")) from None
    if b"\x00" in data[:65536]:
        raise AcceptanceError(message("not_a_table"))
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("cp949"), "cp949"
    except UnicodeDecodeError as exc:
        # the encoding that read further is the one the file most likely meant
        position = max(utf8_error.start, exc.start)
    raise AcceptanceError(_undecodable(data, position))


def _undecodable(data: bytes, position: int) -> Message:
    row = data.count(b"\n", 0, position) + 1
    line_start = data.rfind(b"\n", 0, position) + 1
    first_line = data[:data.find(b"\n")] if b"\n" in data else data
    delimiter = max((b",", b"\t", b";"), key=lambda d: (first_line.count(d), d == b","))
    column = data.count(delimiter, line_start, position) + 1
    return message("undecodable", row=row, column=column_letter(column))


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """The rows of CSV text, numbered from 1, with the delimiter its first line uses most."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",\t;", key=lambda d: (first_line.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, 1)
    except csv.Error:
        raise AcceptanceError(message("not_a_table")) from None


def xlsx_rows(data: bytes, max_unzipped_bytes: int) -> Iterator[tuple[int, list[str]]]:
    """The first worksheet's rows of an XLSX workbook, numbered from 1, cells as text."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        content_types = (archive.read("[Content_Types].xml")
                         if "[Content_Types].xml" in names else b"")
        unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError):
        raise AcceptanceError(message("xlsx_unreadable")) from None
    if b"spreadsheetml" not in content_types and b"ms-excel" not in content_types:
        raise AcceptanceError(message("zip_not_xlsx"))
    if unzipped > max_unzipped_bytes:
        raise AcceptanceError(message("xlsx_too_large_unzipped", size_mb=mb(unzipped),
                                      limit_mb=mb(max_unzipped_bytes)))
    return _sheet_rows(data)


def _sheet_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # loaded only when a workbook is read (not a loop)

    def rows():
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; none matter here.
            warnings.simplefilter("ignore")
            try:
                workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True,
                                                  data_only=True)
            except Exception:  # any failure to open means "unreadable"
                raise AcceptanceError(message("xlsx_unreadable")) from None
            try:
                if not workbook.worksheets:
                    raise AcceptanceError(message("xlsx_unreadable"))
                sheet = workbook.worksheets[0]
                if hasattr(sheet, "reset_dimensions"):
                    sheet.reset_dimensions()  # some writers record wrong dimensions
                try:
                    for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True),
                                                 1):
                        yield number, [_cell_text(v) for v in row]
                except AcceptanceError:
                    raise
                except Exception:  # a damaged sheet part
                    raise AcceptanceError(message("xlsx_unreadable")) from None
            finally:
                workbook.close()

    return rows()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        return str(int(number)) if number == number.to_integral_value() else f"{number:f}"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
