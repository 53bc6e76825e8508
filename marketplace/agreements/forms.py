"""Forms of the agreement pages: CSRF and rendering only; the data goes into the contracts of ``schemas.py``.

Sign (password again), propose changes, terminate, deliver, reject, review, verify. Validation is the
input contracts' job (:mod:`marketplace.agreements.schemas`, parsed by the views with
:func:`marketplace.core.schemas.parse`); the lengths here only tell the browser.
"""

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

from marketplace.agreements.schemas import COMMENT_MAX, DELIVERY_NOTE_MAX, NOTE_MAX, REASON_MAX

IP_CHOICES = [
    SelectChoice("sme", _l("The client owns the model and results")),
    SelectChoice("vendor_licensed", _l("The vendor owns them; the client gets a perpetual licence")),
    SelectChoice("joint", _l("Jointly owned")),
]


class TerminateForm(FlaskForm):
    reason = TextAreaField(_l("Why does the agreement end? (the other party reads it)"),
                           render_kw={"maxlength": REASON_MAX})
    password = PasswordField(_l("Your password"))


class SignForm(FlaskForm):
    password = PasswordField(_l("Your password"), description=_l("Enter your password again to sign electronically."))


class ProposalForm(FlaskForm):
    ip_ownership = SelectField(_l("IP and model ownership"), choices=IP_CHOICES)
    warranty_months = IntegerField(_l("Warranty (months)"))
    liability_cap_multiple = DecimalField(_l("Liability cap (multiple of the price)"), places=None)
    acceptance_days = IntegerField(_l("Acceptance period (days)"))
    resubmission_days = IntegerField(_l("Resubmission period (days)"))
    maintenance_yearly_won = IntegerField(_l("Maintenance per year (won)"))
    maintenance_years = IntegerField(_l("Years of maintenance"))
    note = StringField(_l("Note to the other party"), render_kw={"maxlength": NOTE_MAX})


class DeliverForm(FlaskForm):
    note = TextAreaField(_l("Delivery note"), render_kw={"maxlength": DELIVERY_NOTE_MAX})


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), render_kw={"maxlength": COMMENT_MAX})


class VerifyForm(FlaskForm):
    file = FileField(_l("Agreement PDF"))
    sha256 = StringField(_l("or its SHA-256"))


__all__ = ["DeliverForm", "ProposalForm", "ReviewForm", "SignForm", "TerminateForm", "VerifyForm"]
