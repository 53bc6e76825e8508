"""Forms of the agreement pages: sign (password again), propose changes, deliver, decide, review, verify."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DecimalField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

IP_CHOICES = [
    SelectChoice("sme", _l("The client owns the model and results")),
    SelectChoice("vendor_licensed", _l("The vendor owns them; the client gets a perpetual licence")),
    SelectChoice("joint", _l("Jointly owned")),
]


class TerminateForm(FlaskForm):
    reason = TextAreaField(_l("Why does the agreement end? (the other party reads it)"),
                           validators=[DataRequired(), Length(max=1000)])
    password = PasswordField(_l("Your password"), validators=[DataRequired(message=_l("Enter your password."))])


class SignForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(message=_l("Enter your password."))],
                             description=_l("Enter your password again to sign electronically."))


class ProposalForm(FlaskForm):
    ip_ownership = SelectField(_l("IP and model ownership"), choices=IP_CHOICES)
    warranty_months = IntegerField(_l("Warranty (months)"), validators=[Optional(), NumberRange(min=0, max=120)])
    liability_cap_multiple = DecimalField(_l("Liability cap (multiple of the price)"), places=None,
                                          validators=[Optional(), NumberRange(min=0.1, max=10)])
    acceptance_days = IntegerField(_l("Acceptance period (days)"), validators=[Optional(), NumberRange(min=1, max=180)])
    resubmission_days = IntegerField(_l("Resubmission period (days)"),
                                     validators=[Optional(), NumberRange(min=1, max=180)])
    maintenance_yearly_won = IntegerField(_l("Maintenance per year (won)"), validators=[Optional(), NumberRange(min=0)])
    maintenance_years = IntegerField(_l("Years of maintenance"), validators=[Optional(), NumberRange(min=0, max=20)])
    note = StringField(_l("Note to the other party"), validators=[Optional(), Length(max=500)])


class DeliverForm(FlaskForm):
    note = TextAreaField(_l("Delivery note"), validators=[Optional(), Length(max=2000)])


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason for rejection (the vendor reads it)"), validators=[Optional(), Length(max=1000)])


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])


class VerifyForm(FlaskForm):
    file = FileField(_l("Agreement PDF"))
    sha256 = StringField(_l("or its SHA-256"), validators=[Optional(), Length(max=200)])


__all__ = ["DeliverForm", "ProposalForm", "RejectForm", "ReviewForm", "SignForm", "VerifyForm"]
