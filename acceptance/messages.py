"""Messages for people: a stable code, its parameters, and the text in Korean and English.

The library has no Babel. Every problem it reports is a :class:`Message` whose ``code``
and ``params`` the app may use to build its own text, and whose :meth:`Message.text`
gives ready Korean or English. :class:`AcceptanceError` carries one or more messages,
in the order found (a file's problems top to bottom), at most :data:`MAX_MESSAGES` of
them plus one ``more_problems`` message with the count of the rest.

Where a message concerns a cell, ``row`` is the spreadsheet row number as Excel shows it
(the header is row 1, the first data row is row 2) and ``column`` is the column letter
(A, B, ..., AA); ``params["name"]`` is the column's header. Where it concerns a field of
a protocol, ``field`` names that field so the app can show it next to the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["CATALOGUE", "MAX_MESSAGES", "AcceptanceError", "Message", "Text", "column_letter",
           "message", "normalise_lang"]

#: At most this many messages are reported for one file or one call; the rest are counted.
MAX_MESSAGES = 10


def normalise_lang(lang: str | None) -> str:
    """``"ko"`` for any Korean locale (``ko``, ``ko_KR``, ``ko-KR``), otherwise ``"en"``."""
    return "ko" if isinstance(lang, str) and lang.lower()[:2] == "ko" else "en"


def column_letter(position: int) -> str:
    """The spreadsheet letter of a 1-based column position: 1 → A, 27 → AA."""
    letters = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Text:
    """A short phrase in Korean and English (a metric's name, a direction)."""

    ko: str
    en: str

    def get(self, lang: str = "ko") -> str:
        return self.ko if normalise_lang(lang) == "ko" else self.en

    def __str__(self) -> str:
        return self.en


# code -> (Korean, English). Parameters are filled with str.format.
CATALOGUE: Mapping[str, tuple[str, str]] = MappingProxyType({
    # --- reading a file -----------------------------------------------------------------
    "file_too_large": (
        "파일이 너무 큽니다({size_mb} MB). {limit_mb} MB 이하의 파일만 올릴 수 있습니다.",
        "The file is too large ({size_mb} MB); files up to {limit_mb} MB are accepted."),
    "empty_file": (
        "파일이 비어 있습니다.",
        "The file is empty."),
    "not_xlsx": (
        "파일 이름은 Excel 통합 문서(.xlsx)이지만 내용은 Excel 파일이 아닙니다. "
        "Excel에서 .xlsx 또는 CSV로 다시 저장해 주세요.",
        "The file is named as an Excel workbook (.xlsx) but its content is not one. "
        "Save it again from Excel as .xlsx or CSV."),
    "zip_not_xlsx": (
        "ZIP 압축 파일이지만 Excel 통합 문서(.xlsx)가 아닙니다.",
        "The file is a ZIP archive but not an Excel workbook (.xlsx)."),
    "xls_not_supported": (
        "예전 Excel 형식(.xls)이거나 암호가 걸린 파일이라 읽을 수 없습니다. "
        "암호를 풀고 .xlsx 또는 CSV로 저장해 주세요.",
        "The file is in the old Excel format (.xls) or password-protected and cannot be read. "
        "Remove any password and save it as .xlsx or CSV."),
    "not_a_table": (
        "CSV 또는 Excel(.xlsx) 파일이 아닙니다.",
        "The file is neither a CSV file nor an Excel workbook (.xlsx)."),
    "xlsx_unreadable": (
        "Excel 파일을 읽을 수 없습니다. 파일이 손상되었을 수 있습니다.",
        "The Excel file cannot be read; it may be damaged."),
    "xlsx_too_large_unzipped": (
        "Excel 파일의 압축을 푼 크기가 너무 큽니다({size_mb} MB, 한도 {limit_mb} MB).",
        "The Excel file is too large once unpacked ({size_mb} MB; the limit is {limit_mb} MB)."),
    "undecodable": (
        "{row}행 {column}열의 글자를 읽을 수 없습니다. 파일이 UTF-8이나 CP949(EUC-KR)가 아닌 "
        "다른 인코딩입니다. Excel에서 'CSV UTF-8(쉼표로 분리)'로 저장해 주세요.",
        "Row {row}, column {column}: the characters cannot be read; the file is in an "
        "encoding other than UTF-8 or CP949 (EUC-KR). Save it from Excel as "
        "'CSV UTF-8 (Comma delimited)'."),
    "missing_header": (
        "첫 행에 열 이름(머리글)이 있어야 합니다. {row}행 {column}열의 '{value}'은(는) "
        "열 이름이 아니라 숫자입니다.",
        "The first row must hold the column names (a header); row {row}, column {column} "
        "holds the number '{value}', not a name."),
    "blank_header": (
        "1행 {column}열의 머리글(열 이름)이 비어 있습니다.",
        "Row 1, column {column}: the header (column name) is blank."),
    "duplicate_header": (
        "1행: 열 이름 '{name}'이(가) {columns}열에 두 번 이상 나옵니다.",
        "Row 1: the column name '{name}' appears more than once (columns {columns})."),
    "too_many_columns": (
        "열이 너무 많습니다({count}개, 한도 {limit}개).",
        "Too many columns ({count}; the limit is {limit})."),
    "no_data_rows": (
        "머리글 아래에 데이터 행이 없습니다.",
        "There are no data rows below the header."),
    "too_many_rows": (
        "행이 너무 많습니다. 데이터 행은 {limit:,}개까지 올릴 수 있습니다.",
        "Too many rows; at most {limit:,} data rows are accepted."),
    "column_not_found": (
        "'{name}' 열이 없습니다. 파일의 열: {columns}.",
        "There is no column '{name}'. The file's columns: {columns}."),
    "column_out_of_range": (
        "{position}번째 열이 없습니다. 파일의 열은 {count}개입니다: {columns}.",
        "There is no column {position}; the file has {count} columns: {columns}."),
    "value_column_unknown": (
        "어느 열에 값이 있는지 알 수 없습니다. 값이 든 열의 이름이나 위치를 지정해 주세요. "
        "파일의 열: {columns}.",
        "Which column holds the values is not clear; name the column or give its position. "
        "The file's columns: {columns}."),
    "same_column": (
        "ID 열과 값 열이 같은 열({column}열 '{name}')입니다.",
        "The id column and the value column are the same column ({column}, '{name}')."),
    "blank_cell": (
        "{row}행 {column}열('{name}')이 비어 있습니다.",
        "Row {row}, column {column} ('{name}') is blank."),
    "cell_too_long": (
        "{row}행 {column}열('{name}')의 값이 너무 깁니다({limit}자 한도).",
        "Row {row}, column {column} ('{name}'): the value is too long (limit {limit} characters)."),
    "formula_id": (
        "{row}행 {column}열('{name}'): ID는 '='로 시작할 수 없습니다(수식으로 읽힙니다).",
        "Row {row}, column {column} ('{name}'): an id must not start with '=' "
        "(spreadsheets read it as a formula)."),
    "duplicate_ids": (
        "{column}열('{name}')에 같은 ID가 두 번 이상 나옵니다({count:,}개): {examples}.",
        "Column {column} ('{name}') has repeated ids ({count:,}): {examples}."),
    "not_a_number": (
        "{row}행 {column}열('{name}'): '{value}'은(는) 숫자가 아닙니다.",
        "Row {row}, column {column} ('{name}'): '{value}' is not a number."),
    "number_out_of_range": (
        "{row}행 {column}열('{name}'): '{value}'은(는) 너무 큰 숫자입니다"
        "(절댓값 10의 15제곱 미만).",
        "Row {row}, column {column} ('{name}'): '{value}' is too large "
        "(the magnitude must be below 10^15)."),
    # --- the protocol -------------------------------------------------------------------
    "text_required": (
        "비어 있을 수 없습니다.",
        "must not be empty."),
    "text_too_long": (
        "{limit}자를 넘을 수 없습니다.",
        "must be at most {limit} characters."),
    "text_control_chars": (
        "제어 문자를 포함할 수 없습니다.",
        "must not contain control characters."),
    "unknown_choice": (
        "허용되지 않는 값입니다({allowed} 중 하나).",
        "must be one of: {allowed}."),
    "target_not_number": (
        "목표값은 유한한 숫자여야 합니다.",
        "The target must be a finite number."),
    "target_out_of_range": (
        "{metric}의 목표값은 {minimum} 이상 {maximum} 이하여야 합니다.",
        "The target for {metric} must be between {minimum} and {maximum}."),
    "target_below_minimum": (
        "{metric}의 목표값은 {minimum} 이상이어야 합니다.",
        "The target for {metric} must be at least {minimum}."),
    "target_looks_like_fraction": (
        "{metric}은(는) 백분율(0~100)로 적습니다. 목표 {target}은(는) 비율로 보입니다"
        "(예: 0.9가 아니라 90).",
        "{metric} is written as a percentage (0-100); the target {target} looks like a "
        "fraction (write 90, not 0.9)."),
    "target_more_decimals": (
        "목표값 {target}의 소수 자릿수가 반올림 자릿수({decimals}자리)보다 많습니다.",
        "The target {target} has more decimal places than the rounding ({decimals})."),
    "decimals_range": (
        "반올림 자릿수는 0에서 {maximum} 사이의 정수여야 합니다.",
        "The decimal places must be a whole number from 0 to {maximum}."),
    "direction_fixed": (
        "{metric}은(는) 항상 {direction}.",
        "For {metric}, {direction} (always)."),
    "direction_required": (
        "측정값 KPI에는 높을수록 좋은지 낮을수록 좋은지 정해야 합니다.",
        "A measured-value KPI needs a direction: higher or lower is better."),
    "unit_fixed": (
        "{metric}의 단위는 '{unit}'입니다.",
        "The unit of {metric} is '{unit}'."),
    "unit_required": (
        "측정값 KPI에는 단위가 필요합니다(예: 개/시간, 원/월).",
        "A measured-value KPI needs a unit (e.g. units per hour, won per month)."),
    "data_kind_not_allowed": (
        "{metric}은(는) {allowed}(으)로만 평가할 수 있습니다.",
        "{metric} can be evaluated only on {allowed}."),
    "period_required": (
        "측정값 KPI에는 측정 기간과 방법을 적어야 합니다(예: 검수 기간 4주간의 생산 실적).",
        "A measured KPI needs its measurement period and method "
        "(e.g. the production records of the four acceptance weeks)."),
    "classes_required": (
        "{metric}을(를) 홀드아웃으로 평가하려면 분류 목록(2개 이상, 예: 양품, 불량)이 필요합니다.",
        "To evaluate {metric} on a holdout, list the classes (two or more, e.g. OK, defect)."),
    "classes_duplicate": (
        "분류 '{label}'이(가) 두 번 나옵니다.",
        "The class '{label}' is listed twice."),
    "classes_not_for_metric": (
        "{metric}에는 분류 목록을 지정하지 않습니다.",
        "{metric} takes no list of classes."),
    "positive_class_required": (
        "{metric}에는 기준이 되는 분류(예: 불량)를 지정해야 합니다.",
        "{metric} needs the class it is measured for (e.g. defect)."),
    "positive_class_not_in_classes": (
        "기준 분류 '{label}'이(가) 분류 목록({classes})에 없습니다.",
        "The class '{label}' is not in the list of classes ({classes})."),
    "positive_class_not_for_metric": (
        "{metric}에는 기준 분류를 지정하지 않습니다.",
        "{metric} takes no class to measure for."),
    "protocol_invalid": (
        "KPI 측정 방법이 올바르지 않습니다.",
        "The KPI measurement protocol is not valid."),
    # --- the metric and the data --------------------------------------------------------
    "no_protocols": (
        "평가할 KPI가 없습니다.",
        "There is no KPI to evaluate."),
    "not_holdout": (
        "KPI '{kpi}'은(는) 홀드아웃이 아니라 증빙과 함께 입력한 측정값으로 평가합니다.",
        "The KPI '{kpi}' is evaluated on a measured value entered with evidence, "
        "not on a holdout."),
    "not_measured": (
        "KPI '{kpi}'은(는) 측정값이 아니라 홀드아웃에 대한 예측으로 평가합니다.",
        "The KPI '{kpi}' is evaluated on predictions for a holdout, not on a measured value."),
    "mixed_families": (
        "한 홀드아웃으로 수치 지표({regression})와 분류 지표({classification})를 함께 평가할 수 "
        "없습니다. 홀드아웃을 나누어 주세요.",
        "One holdout cannot serve both numeric metrics ({regression}) and classification "
        "metrics ({classification}); use a holdout for each."),
    "classes_differ": (
        "같은 홀드아웃으로 평가하는 KPI는 분류 목록이 같아야 합니다({kpis}).",
        "KPIs evaluated on the same holdout must list the same classes ({kpis})."),
    "regression_needs_numbers": (
        "{metric}에는 숫자로 된 실제값이 필요합니다. {row}행 {column}열('{name}')의 "
        "'{value}'은(는) 숫자가 아닙니다.",
        "{metric} needs numeric truths; row {row}, column {column} ('{name}') holds "
        "'{value}', which is not a number."),
    "looks_like_regression": (
        "{metric}은(는) 분류 지표인데 '{name}' 열에 서로 다른 숫자가 {distinct:,}개 있습니다"
        "(예: {examples}). 수치를 예측하는 과제에는 MAE, RMSE, MAPE를 쓰세요.",
        "{metric} is a classification metric, but column '{name}' holds {distinct:,} distinct "
        "numbers (e.g. {examples}). For a numeric target use MAE, RMSE or MAPE."),
    "label_not_in_classes": (
        "{row}행 {column}열('{name}'): '{value}'은(는) 약정한 분류({classes}) 중 하나가 아닙니다.",
        "Row {row}, column {column} ('{name}'): '{value}' is not one of the agreed classes "
        "({classes})."),
    "positive_class_absent": (
        "홀드아웃에 '{label}' 행이 하나도 없어 {metric}을(를) 계산할 수 없습니다.",
        "The holdout has no row of the class '{label}', so {metric} cannot be computed."),
    "mape_zero_truth": (
        "실제값이 0인 행이 있으면 MAPE를 계산할 수 없습니다({count}개 행: {rows}행, {column}열). "
        "MAE나 RMSE를 쓰거나 그 행을 빼 주세요.",
        "MAPE cannot be computed where the truth is 0 ({count} rows: rows {rows}, column "
        "{column}). Use MAE or RMSE, or leave those rows out."),
    "missing_ids": (
        "예측 파일에 홀드아웃의 ID {count:,}개가 없습니다: {examples}.",
        "The predictions lack {count:,} of the holdout's ids: {examples}."),
    "extra_ids": (
        "예측 파일에 홀드아웃에 없는 ID {count:,}개가 있습니다: {examples}.",
        "The predictions have {count:,} ids that are not in the holdout: {examples}."),
    "measured_not_number": (
        "측정값은 유한한 숫자여야 합니다('{value}').",
        "The measured value must be a finite number ('{value}')."),
    "measured_out_of_range": (
        "{metric}의 측정값은 {minimum} 이상 {maximum} 이하여야 합니다('{value}').",
        "A measured {metric} must be between {minimum} and {maximum} ('{value}')."),
    "measured_below_minimum": (
        "{metric}의 측정값은 {minimum} 이상이어야 합니다('{value}').",
        "A measured {metric} must be at least {minimum} ('{value}')."),
    "evidence_required": (
        "측정값에는 증빙(문서나 기록에 대한 설명)이 필요합니다.",
        "A measured value needs its evidence (a description of the document or record)."),
    "more_problems": (
        "그 밖에도 문제가 {count:,}건 더 있습니다.",
        "There are {count:,} more problems."),
})


@dataclass(frozen=True)
class Message:
    """One thing to tell a person: a stable ``code`` with its ``params``, in two languages.

    ``field`` names the protocol field concerned (``"target"``, ``"positive_class"``,
    ...), ``row`` and ``column`` the cell (spreadsheet row number, column letter).
    """

    code: str
    ko: str
    en: str
    params: Mapping[str, object] = field(default_factory=dict)
    field: str | None = None
    row: int | None = None
    column: str | None = None

    def text(self, lang: str = "ko") -> str:
        return self.ko if normalise_lang(lang) == "ko" else self.en

    def to_dict(self) -> dict:
        params = {k: {"ko": v.ko, "en": v.en} if isinstance(v, Text) else v
                  for k, v in self.params.items()}
        return {"code": self.code, "field": self.field, "row": self.row,
                "column": self.column, "params": params, "ko": self.ko, "en": self.en}


def message(code: str, *, field: str | None = None, row: int | None = None,
            column: str | None = None, **params) -> Message:
    """Build the catalogue's message ``code``; ``row`` and ``column`` fill their placeholders."""
    ko, en = CATALOGUE[code]
    values = dict(params)
    if row is not None:
        values["row"] = row
    if column is not None:
        values["column"] = column

    def in_lang(lang: str) -> dict:
        return {k: v.get(lang) if isinstance(v, Text) else v for k, v in values.items()}

    return Message(code=code, ko=ko.format(**in_lang("ko")), en=en.format(**in_lang("en")),
                   params=values, field=field, row=row, column=column)


class AcceptanceError(ValueError):
    """What is wrong, as one or more :class:`Message` objects (never empty).

    ``code``, ``field``, ``row`` and ``column`` are those of the first message;
    :meth:`text` joins all messages in one language.
    """

    def __init__(self, messages: Message | Iterable[Message]):
        items = [messages] if isinstance(messages, Message) else list(messages)
        if not items:
            raise ValueError("an AcceptanceError needs at least one message")
        if len(items) > MAX_MESSAGES:
            rest = len(items) - MAX_MESSAGES
            items = items[:MAX_MESSAGES] + [message("more_problems", count=rest)]
        self.messages: tuple[Message, ...] = tuple(items)
        super().__init__(" / ".join(m.en for m in self.messages))

    @property
    def code(self) -> str:
        return self.messages[0].code

    @property
    def field(self) -> str | None:
        return self.messages[0].field

    @property
    def row(self) -> int | None:
        return self.messages[0].row

    @property
    def column(self) -> str | None:
        return self.messages[0].column

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(m.code for m in self.messages)

    def text(self, lang: str = "ko") -> str:
        return "\n".join(m.text(lang) for m in self.messages)

    def to_list(self) -> list[dict]:
        return [m.to_dict() for m in self.messages]
