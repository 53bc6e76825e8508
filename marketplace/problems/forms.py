"""Forms of the problem wizard, one per step, and of the problem page's actions.

The wizard's forms carry the CSRF token and render the fields; what they hold is checked by the
step's contract (:data:`marketplace.problems.schemas.WIZARD_STEPS`, the same types the API uses), so
they have no validators of their own. Length hints in the HTML come from the contracts' limits.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, DateInput, ListWidget, NumberInput

from domain.criteria import CRITERIA
from domain.kpi import KPI_NAME_MAX, KPI_UNIT_MAX
from marketplace.i18n import current_locale
from marketplace.problems import measurement, schemas
from matching import taxonomy

STEPS = (1, 2, 3, 4, 5, 6, 7)


def step_titles() -> dict[int, str]:
    return {1: _l("What hurts"), 2: _l("What success means"), 3: _l("Data and systems"), 4: _l("Constraints"),
            5: _l("What matters to you"), 6: _l("Who can see it"), 7: _l("Review and publish")}


def problem_type_choices():
    lang = current_locale()
    return [SelectChoice(t.code, t.label(lang)) for t in taxonomy.problem_types()]


def industry_choices():
    lang = current_locale()
    return [SelectChoice("", _l("Choose…"))] + [SelectChoice(i.code, f"{i.code} · {i.label(lang)}")
                                                 for i in taxonomy.industries()]


def system_choices():
    labels = {"erp": "ERP", "mes": "MES", "plc": "PLC", "scada": "SCADA", "spreadsheet": _l("Spreadsheets"),
              "pos": "POS", "qms": "QMS", "wms": "WMS", "lims": "LIMS", "custom": _l("In-house system")}
    return [SelectChoice(code, label) for code, label in labels.items()]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _max(n: int, **more) -> dict:
    return {"maxlength": n, **more}


class BasicsForm(FlaskForm):
    title = StringField(_l("Title"), render_kw=_max(schemas.TITLE_MAX, required=True),
                        description=_l("One line: what should get better, where. e.g. 염색 재작업률 줄이기"))
    description = TextAreaField(_l("Describe the problem in your own words"), render_kw=_max(schemas.DESCRIPTION_MAX),
                                description=_l("Where does it hurt, how often, and what does it cost you? Up to 5,000 "
                                               "characters."))
    # Not "process": that name would hide wtforms' Form.process().
    work_process = StringField(_l("Process"), render_kw=_max(schemas.PROCESS_MAX),
                               description=_l("e.g. 염색 공정, 제빵 생산계획"))
    industry = SelectField(_l("Industry (KSIC)"), choices=industry_choices, validate_choice=False)
    problem_types = MultiCheckboxField(_l("Kind of problem"), choices=problem_type_choices, validate_choice=False)
    # Not part of the problem: words the page maps onto problem types (a page-only input).
    keywords = StringField(_l("Other words for it (optional)"), validators=[Optional(), Length(max=200)],
                           render_kw=_max(200),
                           description=_l("Comma-separated, in Korean or English; we map them onto the kinds above."))


def metric_choices():
    lang = current_locale()
    return [SelectChoice("", _l("Choose…"))] + [SelectChoice(c, measurement.metric_label(c, lang))
                                                    for c in measurement.METRIC_CODES]


def data_choices():
    lang = current_locale()
    return [SelectChoice(c, measurement.data_label(c, lang)) for c in measurement.DATA_CODES]


class KpiRow(Form):
    name = StringField(_l("KPI"), render_kw=_max(KPI_NAME_MAX))
    unit = StringField(_l("Unit"), render_kw=_max(KPI_UNIT_MAX))
    baseline = StringField(_l("Today"), render_kw=_max(24, inputmode="decimal"))
    target = StringField(_l("Target"), render_kw=_max(24, inputmode="decimal"))
    direction = SelectField(_l("Better is"), default="lower", validate_choice=False,
                            choices=lambda: [SelectChoice("lower", _l("lower")), SelectChoice("higher", _l("higher"))])
    metric = SelectField(_l("Measured as"), choices=metric_choices, validate_choice=False)
    measured_on = SelectField(_l("Measured on"), choices=data_choices, validate_choice=False)
    period = StringField(_l("Period and data"), render_kw=_max(measurement.PERIOD_MAX))


class KpisForm(FlaskForm):
    kpis = FieldList(FormField(KpiRow), min_entries=4, max_entries=schemas.MAX_KPIS)


class DataRow(Form):
    kind = StringField(_l("Kind of data"), render_kw=_max(schemas.DATA_KIND_MAX),
                       description=_l("e.g. POS sales, sensor logs, inspection images"))
    description = StringField(_l("What it contains"), render_kw=_max(schemas.DATA_DESCRIPTION_MAX))
    volume = StringField(_l("How much"), render_kw=_max(schemas.DATA_VOLUME_MAX))
    period_months = StringField(_l("Months"), widget=NumberInput(min=0, max=schemas.MAX_PERIOD_MONTHS))
    labelled = BooleanField(_l("Labelled"))


class DataForm(FlaskForm):
    data_assets = FieldList(FormField(DataRow), min_entries=3, max_entries=schemas.MAX_DATA_ASSETS)
    systems = MultiCheckboxField(_l("Systems it must connect to"), choices=system_choices, validate_choice=False)
    other_systems = StringField(_l("Other systems"), description=_l("Comma-separated"))


class ConstraintsForm(FlaskForm):
    on_premises_required = BooleanField(_l("Data must stay on our premises (on-premises or edge only)"))
    budget_min_krw = StringField(_l("Lowest budget (won)"), render_kw={"inputmode": "numeric"})
    budget_max_krw = StringField(_l("Highest budget (won)"), render_kw={"inputmode": "numeric"})
    wanted_by = StringField(_l("Wanted delivery date"), widget=DateInput())


class WeightsForm(FlaskForm):
    """One slider per criterion (drawn by the template); ``total`` only carries the error of their sum."""

    total = HiddenField()
    tco_horizon_years = StringField(
        _l("Years of running cost to compare"), default="3", render_kw={"inputmode": "numeric"},
        description=_l("Bids are compared by their total cost: the price, your share after the subsidy, and the "
                       "upkeep over this many years after delivery (1 to 10)."))


for _criterion in CRITERIA:
    setattr(WeightsForm, _criterion, StringField())


class VisibilityForm(FlaskForm):
    visibility = RadioField(_l("Who can see the problem"), choices=lambda: [
        SelectChoice("public", _l("Public: every vendor sees the brief and your company name")),
        SelectChoice("anonymous", _l("Anonymous: vendors see the brief, your name stays hidden until you reveal it")),
        SelectChoice("invited", _l("Invited only: only vendors you invite can see it")),
    ], validate_choice=False)
    opening_shows_names = BooleanField(_l("After the award, show every bidder's name in the opening result "
                                          "(prices and scores are always shown)"))


class TemplateForm(FlaskForm):
    template = StringField(validators=[Optional(), Length(max=80)])


class OpenBiddingForm(FlaskForm):
    deadline = DateTimeLocalField(_l("Bid deadline (Korean time)"), format="%Y-%m-%dT%H:%M",
                                  validators=[DataRequired()])
    amendment_min_days = StringField(_l("Days left to vendors after an amendment"), default="3",
                                     render_kw={"inputmode": "numeric"},
                                     description=_l("If you change the problem during bidding, the deadline moves "
                                                    "out to leave at least this many days (1 to 30)."))


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Why are you cancelling?"), render_kw=_max(schemas.CANCEL_REASON_MAX, required=True))


class QuestionForm(FlaskForm):
    body = TextAreaField(_l("Your question"),
                         render_kw=_max(schemas.QUESTION_MAX, minlength=schemas.QUESTION_MIN, required=True),
                         description=_l("Every vendor sees the question and the answer; nobody sees who asked."))


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer"), render_kw=_max(schemas.ANSWER_MAX, required=True))
