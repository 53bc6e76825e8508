"""Names for people of the codes that describe a problem's data and systems, in Korean and English.

The wizard stores some values as codes (the demo data and the problem templates write ``tabular``,
``time_series``; the systems checkboxes ``spreadsheet``, ``custom``); pages, e-mails and agreement
PDFs show these names instead, so no internal code reaches a reader. A value that is not a known
code is what the SME typed and is shown as it is.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["DATA_KINDS", "SYSTEMS", "data_kind_label", "system_label"]

DATA_KINDS = MappingProxyType({
    "tabular": ("표 형식 데이터(엑셀·DB)", "Tabular data (spreadsheets, databases)"),
    "time_series": ("시계열 데이터(센서·로그)", "Time series (sensors, logs)"),
    "image": ("이미지", "Images"),
    "text": ("문서·텍스트", "Text and documents"),
    "document": ("문서", "Documents"),
    "measurement": ("측정 데이터", "Measurements"),
    "audio": ("음성·소리", "Audio"),
    "video": ("영상", "Video"),
})

SYSTEMS = MappingProxyType({
    "erp": ("ERP", "ERP"), "mes": ("MES", "MES"), "plc": ("PLC", "PLC"), "scada": ("SCADA", "SCADA"),
    "spreadsheet": ("스프레드시트(엑셀)", "Spreadsheets"), "pos": ("POS", "POS"), "qms": ("QMS", "QMS"),
    "wms": ("WMS", "WMS"), "lims": ("LIMS", "LIMS"), "custom": ("자체 개발 시스템", "In-house system"),
})


def _label(table, code: str | None, lang: str) -> str:
    names = table.get((code or "").strip().lower())
    if names is None:
        return code or ""
    return names[0] if lang == "ko" else names[1]


def data_kind_label(code: str | None, lang: str = "ko") -> str:
    """``tabular`` → 표 형식 데이터(엑셀·DB) / Tabular data (...); anything else as written."""
    return _label(DATA_KINDS, code, lang)


def system_label(code: str | None, lang: str = "ko") -> str:
    """``spreadsheet`` → 스프레드시트(엑셀) / Spreadsheets; anything else as written."""
    return _label(SYSTEMS, code, lang)
