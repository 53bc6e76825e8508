"""The bid form: WTForms renders it; its data goes into :class:`~marketplace.bids.schemas.BidDraft`.

KPI commitments are one input per problem KPI, named ``kpi-<id>``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from marketplace.bids import schemas
from marketplace.bids.schemas import BidDraft
from marketplace.core.errors import DomainError, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.problems.models import ProblemKpi


class MilestoneRow(Form):
    name = StringField(_l("Milestone"), validators=[Optional(), Length(max=schemas.MILESTONE_NAME_MAX)])
    deliverable = StringField(_l("Deliverable"), validators=[Optional(), Length(max=schemas.DELIVERABLE_MAX)])
    week = IntegerField(_l("Week"), validators=[Optional(), NumberRange(min=1, max=schemas.MAX_WEEKS)])
    payment_percent = IntegerField(_l("Payment share"), validators=[Optional(), NumberRange(min=0, max=100)])


class BidForm(FlaskForm):
    """Rendering only (the validators give the inputs their HTML limits; nothing validates with them):
    :class:`BidInput` reads what was posted."""

    price_krw = IntegerField(_l("Price (won, VAT excluded)"), validators=[Optional()])
    duration_weeks = IntegerField(_l("Duration (weeks)"), validators=[Optional()])
    offering_id = SelectField(_l("Offering this bid builds on"), validators=[Optional()])
    approach = TextAreaField(_l("Approach"), validators=[Optional(), Length(max=schemas.TEXT_MAX)],
                             description=_l("How you will reach the KPIs: data, model, integration, acceptance test."))
    team = TextAreaField(_l("Team"), validators=[Optional(), Length(max=schemas.TEAM_MAX)])
    milestones = FieldList(FormField(MilestoneRow), min_entries=4, max_entries=schemas.MAX_MILESTONES)
    maintenance_yearly_krw = IntegerField(_l("Maintenance per year after delivery (won)"), validators=[Optional()])
    maintenance_years = IntegerField(_l("Years of maintenance offered"), validators=[Optional()])
    service_level = StringField(_l("Service level"), validators=[Optional(), Length(max=schemas.SERVICE_LEVEL_MAX)],
                                description=_l("e.g. 평일 4시간 내 대응, 월 1회 모델 점검"))

    def set_offerings(self, offerings) -> None:
        self.offering_id.choices = [SelectChoice("", _l("None"))] + [SelectChoice(str(o.id), o.title)
                                                                      for o in offerings]


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason (the vendor reads it)"), validators=[Optional(), Length(max=schemas.REASON_MAX)])


class BidInput:
    """What the bid page posted, as the input of :class:`~marketplace.bids.schemas.BidDraft`, and the way
    back from the contract's error keys to the page's inputs.

    An empty price or duration leaves the bid's value as it is; empty maintenance means none. Milestone
    rows without a name or a payment share are left out; KPIs without a value are not committed to.
    """

    def __init__(self, form: BidForm, posted: Mapping[str, str], kpis: Sequence[ProblemKpi]):
        def raw(name: str) -> str:
            return (posted.get(name) or "").strip()

        self.rows = [i for i, _row in enumerate(form.milestones.entries)
                     if raw(f"milestones-{i}-name") or raw(f"milestones-{i}-payment_percent") not in ("", "0")]
        self.kpi_ids = [k.id for k in kpis if raw(f"kpi-{k.id}")]
        data: dict[str, Any] = {
            "offering_id": raw("offering_id") or None,
            "approach": raw("approach"), "team": raw("team"), "service_level": raw("service_level"),
            "maintenance_yearly_krw": raw("maintenance_yearly_krw") or 0,
            "maintenance_years": raw("maintenance_years") or 0,
            "milestones": [{key: raw(f"milestones-{i}-{key}") for key in ("name", "deliverable", "week",
                                                                          "payment_percent")} for i in self.rows],
            "kpi_commitments": [{"kpi_id": kpi_id, "value": raw(f"kpi-{kpi_id}")} for kpi_id in self.kpi_ids],
        }
        for key in ("price_krw", "duration_weeks"):
            if raw(key):
                data[key] = raw(key)
        self.data = data

    def parse(self) -> BidDraft:
        """The posted bid as the contract, or :class:`ValidationFailed` naming each commitment by its KPI
        (``kpi_commitments.<kpi id>``, as the service does) rather than by its place in the list."""
        try:
            return parse(BidDraft, self.data)  # the page decides what an empty input means (above)
        except ValidationFailed as exc:
            fields: dict[str, str] = {}
            for key, message in exc.fields.items():
                parts = key.split(".")
                if parts[0] == "kpi_commitments" and len(parts) > 1 and parts[1].isdigit() \
                        and int(parts[1]) < len(self.kpi_ids):
                    key = f"kpi_commitments.{self.kpi_ids[int(parts[1])]}"
                fields.setdefault(key, message)
            exc.fields = fields
            raise

    def place(self, exc: DomainError) -> dict[str, str]:
        """Rename ``exc``'s fields to the page's (``milestones.<row>.week``, row as on the page) and take out
        the commitments' messages: ``{kpi id: message}`` for the KPI inputs, which are not form fields."""
        fields: dict[str, str] = {}
        kpi_errors: dict[str, str] = {}
        for key, message in exc.fields.items():
            parts = key.split(".")
            if parts[0] == "milestones" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(self.rows):
                fields.setdefault(".".join(["milestones", str(self.rows[int(parts[1])]), *parts[2:]]), message)
            elif parts[0] == "kpi_commitments" and len(parts) > 1 and parts[1].isdigit():
                kpi_errors.setdefault(parts[1], message)
            else:
                fields.setdefault(key, message)
        exc.fields = fields
        return kpi_errors
