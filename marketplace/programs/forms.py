"""Forms of the program pages. Business rules stay in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.i18n import current_locale
from marketplace.programs.schemas import DESCRIPTION_MAX, NAME_MAX, REASON_MAX
from matching import taxonomy


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def region_choices():
    lang = current_locale()
    return [SelectChoice(r.code, r.label(lang)) for r in taxonomy.regions()]


def problem_type_choices():
    lang = current_locale()
    return [SelectChoice(t.code, t.label(lang)) for t in taxonomy.problem_types()]


def industry_choices():
    lang = current_locale()
    whole = _l("whole section")
    sections = [SelectChoice(s.code, f"{s.code} · {s.label(lang)} ({whole})") for s in taxonomy.industry_sections()]
    return sections + [SelectChoice(i.code, f"{i.code} · {i.label(lang)}") for i in taxonomy.industries()]


def status_choices():
    return [SelectChoice("draft", _l("Draft (only your agency sees it)")),
            SelectChoice("open", _l("Open for applications")), SelectChoice("closed", _l("Closed"))]


class ProgramForm(FlaskForm):
    """Renders the program form; what it posts is parsed into ``schemas.ProgramCreate``/``ProgramUpdate``, whose
    rules (and messages) are the API's. Money fields are text, so that "1,000,000" reaches the contract as typed."""

    name_ko = StringField(_l("Name (Korean)"), render_kw={"maxlength": NAME_MAX})
    name_en = StringField(_l("Name (English)"), render_kw={"maxlength": NAME_MAX})
    description_ko = TextAreaField(_l("Description (Korean)"), render_kw={"maxlength": DESCRIPTION_MAX})
    description_en = TextAreaField(_l("Description (English)"), render_kw={"maxlength": DESCRIPTION_MAX})
    total_budget_krw = StringField(_l("Total budget (won)"), render_kw={"inputmode": "numeric"})
    subsidy_ratio = StringField(_l("Subsidy ratio"), render_kw={"inputmode": "decimal"},
                                description=_l("Share of the contract price the program pays, 0–1 (e.g. 0.8)."))
    cap_per_project_krw = StringField(_l("Cap per project (won)"), render_kw={"inputmode": "numeric"})
    min_own_share_ratio = StringField(_l("Minimum own share"), render_kw={"inputmode": "decimal"},
                                      description=_l("Share the SME pays at least, 0–1 (e.g. 0.2)."))
    max_employees = StringField(_l("At most this many employees"), render_kw={"inputmode": "numeric"})
    max_revenue_krw = StringField(_l("At most this annual revenue (won)"), render_kw={"inputmode": "numeric"})
    regions = MultiCheckboxField(_l("Regions"), choices=region_choices,
                                 description=_l("None ticked: all regions."))
    industries = SelectMultipleField(_l("Industries (KSIC)"), choices=industry_choices,
                                     description=_l("A section covers all its divisions. None chosen: all "
                                                    "industries."))
    problem_types = MultiCheckboxField(_l("Kinds of problem funded"), choices=problem_type_choices,
                                       description=_l("None ticked: all kinds."))
    exclude_previously_subsidised = BooleanField(_l("Exclude SMEs subsidised in the last three years"))
    accepts_open_problems = BooleanField(_l("Problems already open to vendors (questions or bidding) may still "
                                            "apply"), default=True)
    opens_on = DateField(_l("Applications open on"))
    closes_on = DateField(_l("Applications close on"))
    status = SelectField(_l("Status"), choices=status_choices, default="draft")


class ApplyForm(FlaskForm):
    """The problem to enter (parsed into ``schemas.ApplicationCreate``)."""

    problem_id = SelectField(_l("Which problem?"), coerce=int)


class BatchForm(FlaskForm):
    min_non_capital_percent = IntegerField(_l("Outside the capital region, at least (%)"),
                                           validators=[Optional(), NumberRange(min=0, max=100)],
                                           description=_l("Leave empty for no minimum."))


class PlainForm(FlaskForm):
    """Only the CSRF token (buttons, checkbox lists read from the request)."""


class RejectForm(FlaskForm):
    """The rejection's reason (parsed into ``schemas.SubsidyReject``)."""

    reason = TextAreaField(_l("Reason"), render_kw={"maxlength": REASON_MAX})
