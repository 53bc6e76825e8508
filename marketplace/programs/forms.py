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
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.i18n import current_locale
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
    return [SelectChoice("draft", _l("Draft (only your agency sees it)")), SelectChoice("open", _l("Open for applications")),
            SelectChoice("closed", _l("Closed"))]


class ProgramForm(FlaskForm):
    name_ko = StringField(_l("Name (Korean)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    description_ko = TextAreaField(_l("Description (Korean)"), validators=[Optional(), Length(max=5000)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), Length(max=5000)])
    total_budget_krw = IntegerField(_l("Total budget (won)"), validators=[DataRequired()])
    subsidy_ratio = StringField(_l("Subsidy ratio"), validators=[DataRequired(), Length(max=10)],
                                description=_l("Share of the contract price the program pays, 0–1 (e.g. 0.8)."))
    cap_per_project_krw = IntegerField(_l("Cap per project (won)"), validators=[DataRequired()])
    min_own_share_ratio = StringField(_l("Minimum own share"), validators=[Optional(), Length(max=10)],
                                      description=_l("Share the SME pays at least, 0–1 (e.g. 0.2)."))
    max_employees = IntegerField(_l("At most this many employees"), validators=[Optional(), NumberRange(min=0)])
    max_revenue_krw = IntegerField(_l("At most this annual revenue (won)"), validators=[Optional(),
                                                                                      NumberRange(min=0)])
    regions = MultiCheckboxField(_l("Regions"), choices=region_choices,
                                 description=_l("None ticked: all regions."))
    industries = SelectMultipleField(_l("Industries (KSIC)"), choices=industry_choices,
                                     description=_l("A section covers all its divisions. None chosen: all "
                                                    "industries."))
    problem_types = MultiCheckboxField(_l("Kinds of problem funded"), choices=problem_type_choices,
                                       description=_l("None ticked: all kinds."))
    exclude_previously_subsidised = BooleanField(_l("Exclude SMEs subsidised in the last three years"))
    opens_on = DateField(_l("Applications open on"), validators=[DataRequired()])
    closes_on = DateField(_l("Applications close on"), validators=[DataRequired()])
    status = SelectField(_l("Status"), choices=status_choices, default="draft")

    def program_data(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "name_ko", "name_en", "description_ko", "description_en", "total_budget_krw", "subsidy_ratio",
            "cap_per_project_krw", "min_own_share_ratio", "max_employees", "max_revenue_krw", "regions",
            "industries", "problem_types", "exclude_previously_subsidised", "opens_on", "closes_on", "status")}


class ApplyForm(FlaskForm):
    problem_id = SelectField(_l("Which problem?"), coerce=int, validators=[DataRequired()])


class BatchForm(FlaskForm):
    min_non_capital_percent = IntegerField(_l("Outside the capital region, at least (%)"),
                                           validators=[Optional(), NumberRange(min=0, max=100)],
                                           description=_l("Leave empty for no minimum."))


class PlainForm(FlaskForm):
    """Only the CSRF token (buttons, checkbox lists read from the request)."""


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
