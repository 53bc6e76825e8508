"""Forms for sign-up, login, invitations and account changes: CSRF and rendering only.

What the fields accept is the contracts' business (:mod:`marketplace.accounts.schemas`): the views hand
the submitted values to them with :func:`marketplace.core.forms.parse_form`. The ``render_kw`` here
only tell the browser the same limits (``maxlength``, ``required``). Labels are translated lazily.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from marketplace.accounts import schemas
from marketplace.accounts.password_policy import MAX_LENGTH as PASSWORD_MAX
from marketplace.i18n import current_locale
from matching import taxonomy


def _required(max_length: int | None = None, **extra) -> dict:
    return {"required": True, **({"maxlength": max_length} if max_length else {}), **extra}

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
    kind = SelectField(_l("Organisation type"), choices=org_kind_choices, render_kw=_required())
    name_ko = StringField(_l("Organisation name (Korean)"), render_kw=_required(schemas.ORG_NAME_MAX))
    name_en = StringField(_l("Organisation name (English)"), render_kw=_required(schemas.ORG_NAME_MAX))
    brn = StringField(_l("Business registration number"), render_kw=_required(14),
                      description=_l("10 digits, e.g. 123-45-67890"))
    region = SelectField(_l("Region (시·도)"), render_kw=_required())
    industry = SelectField(_l("Industry (KSIC)"), render_kw=_required())
    employees = IntegerField(_l("Employees"), render_kw=_required(min=0, max=schemas.MAX_EMPLOYEES))
    annual_revenue_krw = IntegerField(_l("Annual revenue (won)"),
                                      render_kw=_required(min=0, max=schemas.MAX_REVENUE_KRW))


class SignUpForm(OrganisationFields, FlaskForm):
    name = StringField(_l("Your name"), render_kw=_required(schemas.PERSON_NAME_MAX))
    email = EmailField(_l("E-mail"), render_kw=_required(schemas.EMAIL_MAX))
    password = PasswordField(_l("Password"), render_kw=_required(PASSWORD_MAX),
                             description=_l("At least 10 characters."))
    password_confirm = PasswordField(_l("Password again"), render_kw=_required())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()
        self.industry.choices = industry_choices()


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), render_kw=_required(schemas.EMAIL_MAX))
    password = PasswordField(_l("Password"), render_kw=_required(PASSWORD_MAX))


class InviteForm(FlaskForm):
    email = EmailField(_l("Colleague's e-mail"), render_kw=_required(schemas.EMAIL_MAX))
    role = SelectField(_l("Role"), render_kw=_required(),
                       choices=lambda: [SelectChoice("member", _l("Member")), SelectChoice("owner", _l("Owner"))])


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Your name"), render_kw=_required(schemas.PERSON_NAME_MAX))
    password = PasswordField(_l("Password"), render_kw=_required(PASSWORD_MAX),
                             description=_l("At least 10 characters."))
    password_confirm = PasswordField(_l("Password again"), render_kw=_required())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), render_kw=_required(PASSWORD_MAX))
    new_password = PasswordField(_l("New password"), render_kw=_required(PASSWORD_MAX),
                                 description=_l("At least 10 characters."))
    new_password_confirm = PasswordField(_l("New password again"), render_kw=_required())


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("New e-mail"), render_kw=_required(schemas.EMAIL_MAX))
    current_password = PasswordField(_l("Current password"), render_kw=_required(PASSWORD_MAX))


class PasswordResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), render_kw=_required(schemas.EMAIL_MAX))


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"), render_kw=_required(PASSWORD_MAX),
                             description=_l("At least 10 characters."))
    password_confirm = PasswordField(_l("New password again"), render_kw=_required())


class EmailNotificationsForm(FlaskForm):
    email_notifications = SelectField(
        _l("E-mail me notifications"), render_kw=_required(),
        choices=lambda: [SelectChoice("all", _l("All of them")), SelectChoice("none", _l("None (only in the app)"))])


class MemberForm(FlaskForm):
    """A cooperative adds a member SME (CSRF only; the data goes into ``schemas.MemberAddIn``)."""
