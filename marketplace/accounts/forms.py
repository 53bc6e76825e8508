"""Forms for sign-up, login and invitations. Labels are translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError, EqualTo, InputRequired, Length, NumberRange, Optional

from marketplace.accounts.services import normalise_brn
from marketplace.core.errors import ValidationFailed
from marketplace.i18n import current_locale
from matching import taxonomy

def org_kind_choices():
    return [
        SelectChoice("sme", _l("SME (manufacturer)")),
        SelectChoice("vendor", _l("AI vendor")),
        SelectChoice("cooperative", _l("Cooperative or association")),
        SelectChoice("agency", _l("Public agency")),
    ]


def region_choices():
    lang = current_locale()
    return [SelectChoice("", _l("Choose…"))] + [SelectChoice(r.code, r.label(lang)) for r in taxonomy.regions()]


def industry_choices():
    lang = current_locale()
    sections = {s.code: s.label(lang) for s in taxonomy.industry_sections()}
    return [SelectChoice("", _l("Choose…"))] + [
        SelectChoice(i.code, f"{i.code} · {i.label(lang)}", optgroup=f"{i.section} · {sections.get(i.section, '')}")
        for i in taxonomy.industries()
    ]


class OrganisationFields:
    kind = SelectField(_l("Organisation type"), choices=org_kind_choices, validators=[DataRequired()])
    name_ko = StringField(_l("Organisation name (Korean)"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Organisation name (English)"), validators=[DataRequired(), Length(max=120)])
    brn = StringField(_l("Business registration number"), validators=[DataRequired(), Length(max=14)],
                      description=_l("10 digits, e.g. 123-45-67890"))
    region = SelectField(_l("Region (시·도)"), validators=[DataRequired()])
    industry = SelectField(_l("Industry (KSIC)"), validators=[DataRequired()])
    employees = IntegerField(_l("Employees"), validators=[InputRequired(), NumberRange(min=0, max=1_000_000)])
    annual_revenue_krw = IntegerField(_l("Annual revenue (won)"),
                                      validators=[InputRequired(), NumberRange(min=0, max=10**16)])


class SignUpForm(OrganisationFields, FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=60)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             description=_l("At least 10 characters."))
    password_confirm = PasswordField(_l("Password again"),
                                     validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()
        self.industry.choices = industry_choices()

    def validate_brn(self, field):
        """The service's own check, so the checksum error shows with the form's other errors."""
        try:
            normalise_brn(field.data)
        except ValidationFailed as exc:
            raise ValidationError(exc.message) from None


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class InviteForm(FlaskForm):
    email = EmailField(_l("Colleague's e-mail"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=lambda: [SelectChoice("member", _l("Member")), SelectChoice("owner", _l("Owner"))],
                       validators=[DataRequired()])


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=60)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             description=_l("At least 10 characters."))
    password_confirm = PasswordField(_l("Password again"),
                                     validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=256)],
                                 description=_l("At least 10 characters."))
    new_password_confirm = PasswordField(_l("New password again"),
                                         validators=[DataRequired(), EqualTo("new_password", _l("The passwords differ."))])


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("New e-mail"), validators=[DataRequired(), Length(max=254)])
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])


class OrganisationDescriptionForm(FlaskForm):
    description = TextAreaField(_l("About the organisation"), validators=[Optional(), Length(max=2000)])
