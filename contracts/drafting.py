"""Drafting: agreement terms -> a complete HTML document, in Korean or English."""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import formatting as fmt
from .clauses import LIBRARIES
from .terms import AgreementTerms, DeliverableKind, Direction, Milestone, PartyRole

__all__ = ["LANGUAGES", "document_title", "draft_html", "footer_text", "stylesheet_text",
           "ua_stylesheet_text"]

logger = logging.getLogger(__name__)

LANGUAGES = ("ko", "en")
_HERE = Path(__file__).parent

_UI = {
    "ko": {
        "title": "인공지능 도입 과제 수행 계약서",
        "agreement_no": "계약번호",
        "version": "판",
        "version_label": "제{}판",
        "clauses_label": "조항",
        "created": "작성일",
        "role": "구분",
        "company": "상호",
        "brn": "사업자등록번호",
        "representative": "대표자",
        "address": "주소",
        "closing": "본 계약의 체결을 증명하기 위하여 당사자는 본 계약서에 전자서명하고 각자 그 전자문서를 보관한다.",
        "signer": "서명자",
        "signed_electronically": "(전자서명)",
        "signed_at": "서명일시",
        "ip": "서명 IP",
        "sign_here": "(서명)",
    },
    "en": {
        "title": "AI Project Agreement",
        "agreement_no": "Agreement no.",
        "version": "Version",
        "version_label": "v{}",
        "clauses_label": "Clauses",
        "created": "Date",
        "role": "Party",
        "company": "Company",
        "brn": "Business reg. no.",
        "representative": "Representative",
        "address": "Address",
        "closing": "In witness whereof the parties have signed this Agreement electronically, "
                   "and each keeps the electronic document.",
        "signer": "Signed by",
        "signed_electronically": "(e-signature)",
        "signed_at": "Signed at",
        "ip": "Signing IP",
        "sign_here": "(signature)",
    },
}

_ROLE_LABELS = {
    "ko": {PartyRole.CLIENT: "수요기업", PartyRole.MEMBER: "참여기업", PartyRole.VENDOR: "공급기업"},
    "en": {PartyRole.CLIENT: "Client", PartyRole.MEMBER: "Member SME", PartyRole.VENDOR: "Vendor"},
}
_COOPERATIVE_LABEL = {"ko": "수요기업(조합)", "en": "Client (cooperative)"}

_KIND_LABELS = {
    "ko": {DeliverableKind.MODEL: "모델", DeliverableKind.SERVICE: "서비스",
           DeliverableKind.DOCUMENTATION: "문서"},
    "en": {DeliverableKind.MODEL: "Model", DeliverableKind.SERVICE: "Service",
           DeliverableKind.DOCUMENTATION: "Documentation"},
}


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE),
        autoescape=True,                   # user text is always escaped, whatever the file name
        undefined=jinja2.StrictUndefined,  # a typo in a template fails loudly
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


@cache
def _stylesheet() -> Markup:
    # Static, trusted CSS; marked safe so quotes are not turned into entities.
    return Markup((_HERE / "agreement.css").read_text(encoding="utf-8"))


_LIST_TAG = re.compile(r'<(/?)(ol|li)\b([^>]*)>')
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"


def _list_number(kind: str, n: int, lang: str) -> str:
    if kind == "paras":
        if lang == "ko":
            return _CIRCLED[n - 1] if n <= len(_CIRCLED) else f"({n})"
        return f"({n})"
    if lang == "ko" or n > 26:
        return f"{n}."
    return f"{chr(ord('a') + n - 1)}."


def _number_lists(html: str, lang: str) -> str:
    """Write the numbers of paragraphs (① / (1)) and items (1. / a.) into the text.

    Text, not CSS list markers or ``::before`` counters: WeasyPrint lays out each marker
    as an absolutely positioned box and each ``::before`` as one more inline box per
    line, which together cost a fifth of the rendering time. Only our own templates
    make lists (user text is escaped), so matching the tags is enough. A first paragraph
    that carries its article heading already has its number (see :func:`_run_in`).
    """
    counters: list[list] = []

    def replace(match: re.Match) -> str:
        closing, tag, attributes = match.groups()
        if tag == "ol":
            if closing:
                counters.pop()
            else:
                counters.append(["items" if 'class="items"' in attributes else "paras", 0])
            return match.group(0)
        if closing or not counters:
            return match.group(0)
        counters[-1][1] += 1
        if 'class="article"' in attributes:
            return match.group(0)
        return f"{match.group(0)}{_list_number(counters[-1][0], counters[-1][1], lang)} "

    return _LIST_TAG.sub(replace, html)


def stylesheet_text() -> str:
    """The agreement's print stylesheet (static; no user text is ever put in it)."""
    return str(_stylesheet())


def ua_stylesheet_text() -> str:
    """The user-agent stylesheet of agreement PDFs: WeasyPrint's HTML5 defaults for the
    elements the agreement template emits (see ``agreement_ua.css``)."""
    return (_HERE / "agreement_ua.css").read_text(encoding="utf-8")


def footer_text(terms: AgreementTerms, lang: str) -> str:
    """The footer printed on every page: agreement number, version and clause library."""
    ui = _UI[lang]
    return (f"{ui['agreement_no']} {terms.agreement_id} · {ui['version_label'].format(terms.version)}"
            f" · {ui['clauses_label']} {terms.clause_library_version}")


def document_title(terms: AgreementTerms, lang: str) -> str:
    version = _UI[lang]["version_label"].format(terms.version)
    return f"{_UI[lang]['title']} {terms.agreement_id} ({version})"


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")


def _helpers(terms: AgreementTerms, lang: str, numbers: dict[str, int]) -> dict:
    def art(key: str) -> str:
        try:
            number = numbers[key]
        except KeyError:
            raise LookupError(
                f"clause {key!r} is referred to but not in this agreement") from None
        return f"제{number}조" if lang == "ko" else f"Article {number}"

    def ui(key: str, *args) -> str:
        text = _UI[lang][key]
        return text.format(*args) if args else text

    def role_label(role: PartyRole) -> str:
        if role is PartyRole.CLIENT and terms.is_cooperative:
            return _COOPERATIVE_LABEL[lang]
        return _ROLE_LABELS[lang][role]

    def due(milestone: Milestone) -> str:
        if milestone.due_date is not None:
            return fmt.format_date(milestone.due_date, lang)
        return f"{milestone.due_week}주차" if lang == "ko" else f"Week {milestone.due_week}"

    def kpi_value(kpi, value) -> str:
        number = fmt.format_number(value)
        if not kpi.unit:
            return number
        return f"{number}{kpi.unit}" if kpi.unit == "%" else f"{number} {kpi.unit}"

    def kpi_rule(kpi) -> str:
        value = kpi_value(kpi, kpi.committed)
        lower = kpi.direction is Direction.LOWER_IS_BETTER
        if lang == "ko":
            return f"{value} {'이하' if lower else '이상'}"
        return f"{'at most' if lower else 'at least'} {value}"

    return {
        "t": terms,
        "lang": lang,
        "art": art,
        "ui": ui,
        "role_label": role_label,
        "kind_label": lambda kind: _KIND_LABELS[lang][kind],
        "name": lambda party: party.name.get(lang),
        "due": due,
        "kpi_value": kpi_value,
        "kpi_rule": kpi_rule,
        "won": lambda n: fmt.format_won(n, lang),
        "won_words": lambda n: fmt.format_won_words(n, lang),
        "num": fmt.format_number,
        "pct": fmt.format_percent,
        "pct_decimal": lambda ratio: fmt.format_percent(ratio, 1),
        "day": lambda d: fmt.format_date(d, lang),
        "when": lambda dt: fmt.format_datetime(dt, lang),
        "josa": fmt.josa,
        "run_in": lambda heading, wording: _run_in(heading, wording, lang),
        "amounts": terms.milestone_amounts(),
    }


_FIRST_BLOCK = re.compile(r'^\s*(<p>|<ol class="paras">\s*<li>)')


def _run_in(heading: str, wording: str, lang: str) -> Markup:
    """The article with its heading run into its first paragraph.

    ``<p>`` gets the heading before its text; a numbered first paragraph gets the heading
    and its number (① or (1)) as text, since a ``::before`` number would come first.
    """
    match = _FIRST_BLOCK.match(wording)
    if match is None:
        raise ValueError(f"article {heading!r} must start with <p> or <ol class=\"paras\"><li>")
    lead = Markup('<strong class="art">{}</strong> ').format(heading)
    if match.group(1) == "<p>":
        opening = Markup('<p class="article">') + lead
    else:
        number = "①" if lang == "ko" else "(1)"
        opening = Markup('<ol class="paras"><li class="article">') + lead + number + " "
    return opening + Markup(wording[match.end():])


def draft_html(terms: AgreementTerms, lang: str = "ko", *, inline_css: bool = True) -> str:
    """The agreement as a complete HTML document with its print stylesheet inline.

    The HTML refers to no external resource (no links, images or fonts by URL): fonts
    are found by family name through fontconfig. ``inline_css=False`` leaves the
    stylesheet out, for :func:`contracts.render_pdf`, which brings it already parsed.
    """
    _check_lang(lang)
    library = LIBRARIES[terms.clause_library_version]
    clauses = library.select(terms)
    numbers = {clause.key: i for i, clause in enumerate(clauses, start=1)}
    env = _environment()
    context = _helpers(terms, lang, numbers)
    wording = env.get_template(library.template_name(lang)).make_module(context)
    html = env.get_template("agreement.html").render(
        context,
        clauses=clauses,
        wording=wording,
        css=_stylesheet() if inline_css else None,
        footer=footer_text(terms, lang),
        doc_title=document_title(terms, lang),
        created_w3c=f"{terms.created.isoformat()}T00:00:00Z",
    )
    head, sep, body = html.partition("<body>")
    return head + sep + fmt.keep_korean_words(_number_lists(body, lang))
