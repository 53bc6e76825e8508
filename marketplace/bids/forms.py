"""The bid form. KPI commitments are one input per problem KPI, named ``kpi-<id>``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional


class MilestoneRow(Form):
    name = StringField(_l("Milestone"), validators=[Optional(), Length(max=120)])
    deliverable = StringField(_l("Deliverable"), validators=[Optional(), Length(max=300)])
    week = IntegerField(_l("Week"), validators=[Optional(), NumberRange(min=1, max=260)])
    payment_percent = IntegerField(_l("Payment share"), validators=[Optional(), NumberRange(min=0, max=100)])


class BidForm(FlaskForm):
    price_krw = IntegerField(_l("Price (won, VAT excluded)"), validators=[Optional()])
    duration_weeks = IntegerField(_l("Duration (weeks)"), validators=[Optional()])
    offering_id = SelectField(_l("Offering this bid builds on"), validators=[Optional()])
    approach = TextAreaField(_l("Approach"), validators=[Optional(), Length(max=5000)],
                             description=_l("How you will reach the KPIs: data, model, integration, acceptance test."))
    team = TextAreaField(_l("Team"), validators=[Optional(), Length(max=2000)])
    milestones = FieldList(FormField(MilestoneRow), min_entries=4, max_entries=12)
    maintenance_yearly_krw = IntegerField(_l("Maintenance per year after delivery (won)"), validators=[Optional()])
    maintenance_years = IntegerField(_l("Years of maintenance offered"), validators=[Optional()])
    service_level = StringField(_l("Service level"), validators=[Optional(), Length(max=500)],
                                description=_l("e.g. 평일 4시간 내 대응, 월 1회 모델 점검"))

    def set_offerings(self, offerings) -> None:
        self.offering_id.choices = [SelectChoice("", _l("None"))] + [SelectChoice(str(o.id), o.title)
                                                                      for o in offerings]


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason (the vendor reads it)"), validators=[Optional(), Length(max=500)])
