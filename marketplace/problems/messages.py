"""The pure rules' codes in the reader's language: completeness hints, what publishing needs, keyword readings.

The rules (:mod:`marketplace.problems.completeness`, :mod:`marketplace.problems.keywords`) return codes
and numbers; pages, the API and the services say them through these functions, in the request's locale.
"""

from __future__ import annotations

from flask_babel import gettext as _

from marketplace.problems.completeness import Completeness, Hint
from marketplace.problems.keywords import Reading
from matching import taxonomy


def hint(item: Hint) -> str:
    """One completeness hint, e.g. "Your KPI 불량률 has no baseline: how is it today?"."""
    texts = {
        "title": lambda: _("Make the title specific: what should improve, where (e.g. 식빵 폐기율 줄이기)."),
        "description": lambda: _("Describe where it hurts: the process, how often it happens and what it costs you "
                                 "(150+ characters)."),
        "problem_types": lambda: _("Choose what kind of problem this is."),
        "industry": lambda: _("Choose your industry."),
        "kpi": lambda: _("Say what success means: add a KPI with its baseline and target."),
        "kpi_baseline": lambda: _("Your KPI %(name)s has no baseline: how is it today?",
                                  name=item.params.get("name", "")),
        "kpi_target": lambda: _("Give every KPI a target and a unit."),
        "data": lambda: _("Say what data you have (kind, amount, period)."),
        "data_period": lambda: _("Say how many months of data you have."),
        "systems": lambda: _("Say which systems it must connect to (ERP, MES, PLC, spreadsheets)."),
        "budget": lambda: _("Give a budget range; vendors size their proposals by it."),
        "deadline": lambda: _("Say when you need it delivered."),
    }
    return texts[item.code]()


def level(quality: Completeness) -> str:
    """The score band's name: "Well defined", "Partly defined" or "Needs detail"."""
    return {"good": _("Well defined"), "fair": _("Partly defined"), "weak": _("Needs detail")}[quality.level]


def missing(codes: dict[str, str]) -> dict[str, str]:
    """What publishing still needs (field → code) as messages by field."""
    texts = {
        "description_short": lambda: _("Describe the problem in at least 30 characters."),
        "problem_types": lambda: _("Choose at least one problem type."),
        "industry": lambda: _("Choose your industry."),
        "kpi_measured": lambda: _("Add at least one KPI with a baseline and a target."),
        "budget_max": lambda: _("Give the highest budget."),
        "wanted_by": lambda: _("Give the wanted delivery date."),
        "wanted_by_past": lambda: _("The delivery date must be in the future."),
    }
    return {name: texts[code]() for name, code in codes.items()}


def reading(item: Reading, *, lang: str) -> str:
    """How a free word was read: "We read “불량 검사” as 비전 불량 검사." or that it stays in the description."""
    if item.code is None:
        return _("We could not place “%(word)s”; it stays in your description only.", word=item.word)
    return _("We read “%(word)s” as %(label)s.", word=item.word, label=taxonomy.get_problem_type(item.code).label(lang))
