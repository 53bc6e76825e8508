"""The file-type rule: judged by content, the name must agree, path tricks refused."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.documents.filetypes import MAX_BYTES, Rejected, check_name, check_upload, sniff

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20


def xlsx() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("제안서.pdf", PDF, "pdf"), ("photo.PNG", PNG, "png"), ("scan.jpg", JPEG, "jpeg"), ("scan.jpeg", JPEG, "jpeg"),
    ("sample.xlsx", xlsx(), "xlsx"), ("data.csv", "월,판매\n1,200\n".encode("cp949"), "csv"),
    ("notes.txt", "hello\n".encode(), "txt"),
])
def test_accepted_kinds(name, data, kind):
    assert check_upload(name, data)[1].code == kind


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("proposal.pdf", PNG, "mismatch"),        # a PNG that claims to be a PDF
    ("proposal.pdf", b"just text", "mismatch"),
    ("photo.png", PDF, "mismatch"),
    ("data.csv", PDF, "mismatch"),
    ("run.exe", b"MZ\x90\x00", "unsupported"),
    ("noext", PDF, "unsupported"),
    ("empty.pdf", b"", "empty"),
    ("../../etc/passwd.txt", b"x", "bad_name"),
    ("..\\boot.ini.txt", b"x", "bad_name"),
    ("/abs/path.pdf", PDF, "bad_name"),
    (".hidden.pdf", PDF, "bad_name"),
    ("a\x00.pdf", PDF, "bad_name"),
    ("", PDF, "bad_name"),
])
def test_refused(name, data, reason):
    with pytest.raises(Rejected) as info:
        check_upload(name, data)
    assert info.value.reason == reason


def test_too_large():
    with pytest.raises(Rejected) as info:
        check_upload("big.pdf", PDF + b"0" * MAX_BYTES)
    assert info.value.reason == "too_large"


@given(st.text(min_size=1, max_size=60))
def test_a_name_that_passes_is_a_plain_file_name(name):
    try:
        plain = check_name(name)
    except Rejected:
        return
    assert "/" not in plain and "\\" not in plain and ".." not in plain and not plain.startswith(".")


@given(st.binary(max_size=512))
def test_sniffing_never_fails_and_a_result_is_a_known_kind(data):
    assert sniff(data) in (None, "pdf", "png", "jpeg", "xlsx", "docx", "hwp", "txt")
