"""Reading the files SMEs and vendors upload, and the message for each bad one."""

from __future__ import annotations

import codecs
import hashlib
import io
import zipfile
from datetime import datetime

import pytest

from acceptance import (AcceptanceError, Limits, Role, check_size, predictions_template,
                        read_table)
from acceptance import decoding

from .conftest import csv_bytes, xlsx_bytes

KOREAN_HEADER = ("번호", "실제값")
ROWS = [("A-1", "12.5"), ("A-2", "불량"), ("A-3", "1,234")]


def refused(data: bytes, **kw) -> AcceptanceError:
    with pytest.raises(AcceptanceError) as info:
        read_table(data, **kw)
    return info.value


# --- encodings and formats that must parse --------------------------------------------------

@pytest.mark.parametrize(("encoding", "bom", "expected"), [
    ("utf-8", False, "utf-8"),
    ("utf-8", True, "utf-8-sig"),   # Excel's "CSV UTF-8"
    ("cp949", False, "cp949"),      # Korean Excel's "CSV (쉼표로 분리)"
    ("euc-kr", False, "cp949"),     # EUC-KR is a subset of CP949
])
def test_korean_headers_parse_in_every_excel_encoding(encoding, bom, expected):
    table = read_table(csv_bytes(KOREAN_HEADER, ROWS, encoding=encoding, bom=bom))
    assert table.columns == KOREAN_HEADER
    assert (table.id_column, table.value_column) == KOREAN_HEADER
    assert table.ids == ("A-1", "A-2", "A-3")
    assert table.values == ("12.5", "불량", "1,234")
    assert table.rows == (2, 3, 4)
    assert (table.format, table.encoding) == ("csv", expected)


def test_utf16_tab_separated_text_as_excel_saves_unicode_text():
    data = codecs.BOM_UTF16_LE + "번호\t정답\r\n1\t양품\r\n2\t불량\r\n".encode("utf-16-le")
    table = read_table(data)
    assert table.values == ("양품", "불량") and table.encoding == "utf-16"


def test_semicolon_separated():
    table = read_table(b"id;value\n1;2,5\n")
    assert table.values == ("2,5",)


def test_xlsx_parses_numbers_dates_and_korean_headers():
    data = xlsx_bytes(("ID", "정답"), [(1, 12.0), (2, 0.1), (datetime(2025, 3, 1), 3),
                                        ("x-4", "불량")])
    table = read_table(data, filename="정답.xlsx")
    assert table.format == "xlsx" and table.encoding is None
    assert table.ids == ("1", "2", "2025-03-01", "x-4")
    assert table.values == ("12", "0.1", "3", "불량")


def test_xlsx_is_recognised_by_content_whatever_its_name():
    data = xlsx_bytes(("id", "y"), [(1, 2)])
    assert read_table(data, filename="holdout.csv").format == "xlsx"


def test_only_the_first_worksheet_is_read():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["id", "정답"])
    workbook.active.append(["a", "1"])
    other = workbook.create_sheet("메모")
    other.append(["nothing", "here", "else"])
    out = io.BytesIO()
    workbook.save(out)
    assert read_table(out.getvalue()).ids == ("a",)


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    table = read_table(b"\r\nid,y\r\n1,2\r\n,\r\n\r\n3,4\r\n")
    assert table.rows == (3, 6)


# --- choosing the columns -----------------------------------------------------------------

def test_columns_by_name_ignore_case_and_spaces():
    data = csv_bytes(("Sample ID", "Feature", "Actual"), [("s1", "x", "5")])
    table = read_table(data, id_column="sample id", value_column=" ACTUAL ")
    assert (table.id_position, table.value_position) == (1, 3)


def test_columns_by_1_based_position():
    data = csv_bytes(("a", "b", "c"), [("s1", "x", "5")])
    table = read_table(data, id_column=3, value_column=1)
    assert (table.ids, table.values) == (("5",), ("s1",))


def test_known_names_are_found_in_any_position():
    data = csv_bytes(("설명", "예측값", "번호"), [("메모", "7", "n1")])
    table = read_table(data, role=Role.PREDICTIONS)
    assert (table.id_column, table.value_column) == ("번호", "예측값")


def test_two_unnamed_columns_are_id_then_value():
    table = read_table(csv_bytes(("코드명", "수치"), [("k", "1")]))
    assert (table.id_column, table.value_column) == ("코드명", "수치")


def test_a_holdout_does_not_take_a_prediction_column_for_its_truth():
    data = csv_bytes(("id", "예측값", "feature"), [("1", "2", "3")])
    error = refused(data, role=Role.HOLDOUT)
    assert error.code == "value_column_unknown"
    assert "A 'id', B '예측값', C 'feature'" in error.text("ko")


@pytest.mark.parametrize(("kw", "code"), [
    ({"value_column": "정답"}, "column_not_found"),
    ({"value_column": 4}, "column_out_of_range"),
    ({"value_column": 0}, "column_out_of_range"),
    ({"id_column": "y", "value_column": "Y"}, "same_column"),
])
def test_a_bad_column_choice_names_the_columns(kw, code):
    error = refused(csv_bytes(("id", "y", "z"), [("1", "2", "3")]), **kw)
    assert error.code == code
    assert error.field in ("id_column", "value_column")


# --- every bad file, with its message ---------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", codecs.BOM_UTF8, b",,\r\n,,\r\n",
                                  codecs.BOM_UTF16_LE])
def test_an_empty_file(data):
    error = refused(data)
    assert error.code == "empty_file"
    assert error.text("ko") == "파일이 비어 있습니다."


def test_a_header_alone_has_no_data_rows():
    assert refused(b"id,y\r\n\r\n").code == "no_data_rows"


def test_a_missing_header_is_told_not_guessed():
    error = refused(b"1,10\r\n2,20\r\n")
    assert (error.code, error.row, error.column) == ("missing_header", 1, "A")
    assert error.text("en") == ("The first row must hold the column names (a header); "
                                "row 1, column A holds the number '1', not a name.")


def test_a_first_row_of_dated_data_is_not_taken_for_a_header():
    error = refused(b"2025-03-01,120\r\n2025-03-02,131\r\n")
    assert (error.code, error.column) == ("missing_header", "B")
    assert "1행 B열의 '120'은(는) 열 이름이 아니라 숫자입니다" in error.text("ko")


def test_a_blank_header_cell_names_its_column():
    error = refused(b"id,,y\r\n1,2,3\r\n")
    assert (error.code, error.row, error.column) == ("blank_header", None, "B")
    assert error.text("ko") == "1행 B열의 머리글(열 이름)이 비어 있습니다."


def test_a_repeated_header_names_both_columns():
    error = refused("번호,값,값\r\n1,2,3\r\n".encode())
    assert error.code == "duplicate_header" and "B, C" in error.text("en")


def test_blank_cells_are_named_by_row_and_column():
    data = csv_bytes(("번호", "실제값"), [("1", "5"), ("2", ""), ("", "7"), ("4", "8")])
    error = refused(data)
    assert [(m.code, m.row, m.column) for m in error.messages] == [
        ("blank_cell", 3, "B"), ("blank_cell", 4, "A")]
    assert error.messages[0].text("ko") == "3행 B열('실제값')이 비어 있습니다."
    assert error.messages[1].text("en") == "Row 4, column A ('번호') is blank."


def test_duplicate_ids_are_named_with_their_rows():
    data = csv_bytes(("id", "y"), [("a", "1"), ("b", "2"), ("a", "3"), ("b", "4"), ("a", "5")])
    error = refused(data)
    assert error.code == "duplicate_ids" and error.column == "A"
    assert "'a'(2·4·6행), 'b'(3·5행)" in error.text("ko")
    assert "'a' (rows 2, 4, 6), 'b' (rows 3, 5)" in error.text("en")


def test_whole_numbers_written_with_a_point_are_the_same_id():
    error = refused(b"id,y\r\n7,1\r\n7.0,2\r\n")
    assert error.code == "duplicate_ids"


def test_a_formula_looking_id_is_refused():
    error = refused(b"id,y\r\n=HYPERLINK(1),1\r\n")
    assert (error.code, error.row, error.column) == ("formula_id", 2, "A")


def test_an_overlong_cell_is_refused():
    error = refused(b"id,y\r\n1," + b"9" * 300 + b"\r\n")
    assert (error.code, error.row, error.column) == ("cell_too_long", 2, "B")


def test_an_undecodable_file_names_the_row_and_column_and_the_encodings():
    # CP949 Korean, with one byte (0xFF) that neither CP949 nor UTF-8 can read in row 3.
    data = "번호,실제값\r\n1,양품\r\n2,".encode("cp949") + b"\xff\r\n"
    error = refused(data)
    assert (error.code, error.row, error.column) == ("undecodable", 3, "B")
    assert "CP949(EUC-KR)" in error.text("ko") and "UTF-8" in error.text("en")


def test_a_200_mb_file_is_refused_by_size_before_parsing(monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(decoding, "decode", no_parsing)
    monkeypatch.setattr(decoding, "xlsx_rows", no_parsing)
    data = bytearray(200 * 1024 * 1024)   # 200 MiB, zero-filled without touching the pages
    data[:11] = b"id,y\r\n1,2\r\n"
    error = refused(data)
    assert error.code == "file_too_large"
    assert error.text("ko") == ("파일이 너무 큽니다(200.0 MB). 20.0 MB 이하의 파일만 올릴 수 "
                                "있습니다.")


def test_the_size_can_be_refused_from_the_declared_length_alone():
    with pytest.raises(AcceptanceError) as info:
        check_size(200 * 1024 * 1024)
    assert info.value.code == "file_too_large"
    check_size(20 * 1024 * 1024)  # the limit itself is accepted


@pytest.mark.parametrize("data", [b"id,y\r\n1,2\r\n", b"\x00\x01garbage" * 10])
def test_a_file_named_xlsx_that_is_not_one(data):
    error = refused(data, filename="정답.XLSX")
    assert error.code == "not_xlsx"
    assert "Excel" in error.text("ko")


def test_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><Override ContentType="
                         "'application/vnd.openxmlformats-officedocument.wordprocessingml"
                         ".document.main+xml'/></Types>")
        archive.writestr("word/document.xml", "<w/>")
    assert refused(out.getvalue(), filename="정답.xlsx").code == "zip_not_xlsx"


def test_a_damaged_workbook():
    data = xlsx_bytes(("id", "y"), [(1, 2)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                content = b"<worksheet><sheetData><row><c r='A1'"  # cut off
            target.writestr(item, content)
    assert refused(out.getvalue()).code == "xlsx_unreadable"


def test_a_workbook_that_unpacks_too_large_is_refused_before_opening():
    data = xlsx_bytes(("id", "y"), [(i, i) for i in range(200)])
    assert len(data) < 10_000
    error = refused(data, limits=Limits(max_unzipped_bytes=10_000))
    assert error.code == "xlsx_too_large_unzipped"


def test_an_old_xls_or_encrypted_workbook():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert refused(data, filename="정답.xls").code == "xls_not_supported"


def test_a_binary_file_is_not_a_table():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
    assert refused(png, filename="chart.csv").code == "not_a_table"


def test_too_many_rows_stops_reading():
    data = csv_bytes(("id", "y"), [(str(i), "1") for i in range(10)])
    error = refused(data, limits=Limits(max_rows=5))
    assert error.code == "too_many_rows" and "5" in error.text("en")


def test_too_many_columns():
    data = (",".join(f"c{i}" for i in range(8)) + "\r\n" + ",".join("1" * 8)).encode()
    assert refused(data, limits=Limits(max_columns=5)).code == "too_many_columns"


def test_many_problems_are_capped_and_counted():
    data = csv_bytes(("id", "y"), [(str(i), "") for i in range(30)])
    error = refused(data)
    assert len(error.messages) == 11
    assert error.messages[-1].code == "more_problems"
    assert error.messages[-1].text("ko") == "그 밖에도 문제가 20건 더 있습니다."


def test_messages_serialise_for_the_api():
    error = refused(csv_bytes(("id", "y"), [("1", "")]))
    assert error.to_list() == [{
        "code": "blank_cell", "field": None, "row": 2, "column": "B",
        "params": {"name": "y", "row": 2, "column": "B"},
        "ko": "2행 B열('y')이 비어 있습니다.", "en": "Row 2, column B ('y') is blank."}]


# --- the fingerprint and the vendor's template --------------------------------------------------

def test_fingerprint_is_the_sha256_of_the_bytes_the_rows_and_the_columns():
    data = csv_bytes(("번호", "특성", "실제값"), [("1", "x", "5"), ("2", "y", "6")],
                     encoding="cp949")
    fingerprint = read_table(data).fingerprint
    assert fingerprint.to_dict() == {
        "sha256": hashlib.sha256(data).hexdigest(), "rows": 2,
        "columns": ["번호", "특성", "실제값"], "id_column": "번호", "value_column": "실제값"}


def test_the_predictions_template_lists_the_ids_and_no_truth():
    holdout = read_table(csv_bytes(("번호", "실제값"), [("n1", "5"), ("n2", "SECRET")]))
    template = predictions_template(holdout)
    assert b"SECRET" not in template
    filled = template.decode("utf-8-sig").replace("n1,", "n1,4").replace("n2,", "n2,7")
    back = read_table(codecs.BOM_UTF8 + filled.encode(), role=Role.PREDICTIONS)
    assert (back.ids, back.values, back.value_column) == (("n1", "n2"), ("4", "7"), "예측값")
