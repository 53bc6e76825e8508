"""Forms of the problem wizard, one per step. Business rules stay in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)
from wtforms.widgets import CheckboxInput, ListWidget

from domain.criteria import CRITERIA
from marketplace.i18n import current_locale
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


class BasicsForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=5, max=200)],
                        description=_l("One line: what should get better, where. e.g. 염색 재작업률 줄이기"))
    description = TextAreaField(_l("Describe the problem in your own words"), validators=[Length(max=5000)],
                                description=_l("Where does it hurt, how often, and what does it cost you? Up to 5,000 "
                                               "characters."))
    # Not "process": that name would hide wtforms' Form.process().
    work_process = StringField(_l("Process"), validators=[Optional(), Length(max=120)],
                          description=_l("e.g. 염색 공정, 제빵 생산계획"))
    industry = SelectField(_l("Industry (KSIC)"), choices=industry_choices, validators=[Optional()])
    problem_types = MultiCheckboxField(_l("Kind of problem"), choices=problem_type_choices)
    keywords = StringField(_l("Other words for it (optional)"), validators=[Optional(), Length(max=200)],
                           description=_l("Comma-separated, in Korean or English; we map them onto the kinds above."))


class KpiRow(Form):
    name = StringField(_l("KPI"), validators=[Optional(), Length(max=80)])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=20)])
    baseline = StringField(_l("Today"), validators=[Optional(), Length(max=24)])
    target = StringField(_l("Target"), validators=[Optional(), Length(max=24)])
    direction = SelectField(_l("Better is"), default="lower", choices=lambda: [SelectChoice("lower", _l("lower")),
                                                              SelectChoice("higher", _l("higher"))])


class KpisForm(FlaskForm):
    kpis = FieldList(FormField(KpiRow), min_entries=4, max_entries=6)


class DataRow(Form):
    kind = StringField(_l("Kind of data"), validators=[Optional(), Length(max=60)],
                       description=_l("e.g. POS sales, sensor logs, inspection images"))
    description = StringField(_l("What it contains"), validators=[Optional(), Length(max=300)])
    volume = StringField(_l("How much"), validators=[Optional(), Length(max=60)])
    period_months = IntegerField(_l("Months"), validators=[Optional(), NumberRange(min=0, max=600)])
    labelled = BooleanField(_l("Labelled"))


class DataForm(FlaskForm):
    data_assets = FieldList(FormField(DataRow), min_entries=3, max_entries=10)
    systems = MultiCheckboxField(_l("Systems it must connect to"), choices=system_choices)
    other_systems = StringField(_l("Other systems"), validators=[Optional(), Length(max=200)],
                                description=_l("Comma-separated"))


class ConstraintsForm(FlaskForm):
    on_premises_required = BooleanField(_l("Data must stay on our premises (on-premises or edge only)"))
    budget_min_krw = IntegerField(_l("Lowest budget (won)"), validators=[Optional(), NumberRange(min=0)])
    budget_max_krw = IntegerField(_l("Highest budget (won)"), validators=[Optional(), NumberRange(min=0)])
    wanted_by = DateField(_l("Wanted delivery date"), validators=[Optional()])


class WeightsForm(FlaskForm):
    pass


for _criterion in CRITERIA:
    setattr(WeightsForm, _criterion, IntegerField(validators=[InputRequired(), NumberRange(min=0, max=100)]))


class VisibilityForm(FlaskForm):
    visibility = RadioField(_l("Who can see the problem"), choices=lambda: [
        SelectChoice("public", _l("Public: every vendor sees the brief and your company name")),
        SelectChoice("anonymous", _l("Anonymous: vendors see the brief, your name stays hidden until you reveal it")),
        SelectChoice("invited", _l("Invited only: only vendors you invite can see it")),
    ], validators=[DataRequired()])


class TemplateForm(FlaskForm):
    template = StringField(validators=[Optional(), Length(max=80)])


class OpenBiddingForm(FlaskForm):
    deadline = DateTimeLocalField(_l("Bid deadline (Korean time)"), format="%Y-%m-%dT%H:%M",
                                  validators=[DataRequired()])


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Why are you cancelling?"), validators=[DataRequired(), Length(max=500)])


class QuestionForm(FlaskForm):
    body = TextAreaField(_l("Your question"), validators=[DataRequired(), Length(min=5, max=2000)],
                         description=_l("Every vendor sees the question and the answer; nobody sees who asked."))


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer"), validators=[DataRequired(), Length(max=2000)])
