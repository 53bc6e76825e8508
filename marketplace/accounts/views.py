"""Pages for sign-up, login, logout, the account page and invitations."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.accounts import services
from marketplace.accounts.forms import (
    AcceptInvitationForm,
    ChangeEmailForm,
    ChangePasswordForm,
    InviteForm,
    LoginForm,
    SignUpForm,
)
from marketplace.accounts.limits import per_account, per_address
from marketplace.accounts.models import Organisation, User
from marketplace.accounts.schemas import (
    EmailChange,
    InvitationAccept,
    InvitationCreate,
    PasswordChange,
    SignUp,
    TokenRequest,
)
from marketplace.core.errors import RECOVERABLE, DomainError
from marketplace.core.forms import attach_errors, parse_form, submitted
from marketplace.core.redirects import safe_next
from marketplace.extensions import db
from marketplace.i18n import current_locale

logger = logging.getLogger(__name__)
bp = Blueprint("accounts", __name__)


def _start_session(user: User) -> None:
    """Rotate the session and bind it to a new server-side login session row."""
    locale = session.get("locale")
    session.clear()
    token = services.start_login_session(db.session, user=user, ip_address=request.remote_addr,
                                         user_agent=request.user_agent.string)
    session["sid"] = token
    session.permanent = True
    if locale:
        session["locale"] = locale
    login_user(user)


def _safe_next(target: str | None) -> str:
    return safe_next(target, url_for("pages.home"))


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignUpForm()
    status = 200
    if form.is_submitted():
        try:
            user = services.sign_up(db.session, parse_form(SignUp, submitted(form)), locale=current_locale())
        except RECOVERABLE as exc:
            attach_errors(form, exc)
        else:
            _start_session(user)
            flash(_("Welcome to AX Bridge! Your organisation is registered and waits for verification."),
                  "success")
            return redirect(url_for("accounts.account"))
        status = 422
    return render_template("accounts/signup.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@per_account
@per_address
def login():
    form = LoginForm()
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("pages.home"))
    status = 200
    if form.is_submitted():
        try:
            credentials = parse_form(TokenRequest, submitted(form))
        except RECOVERABLE as exc:
            attach_errors(form, exc)
        else:
            try:
                user = services.authenticate(db.session, email=credentials.email, password=credentials.password)
            except DomainError as exc:
                form.form_errors.append(exc.message)
                logger.info("failed login from %s", request.remote_addr)
                # The request fails, but the failed attempt is evidence: keep its audit entry.
                db.session.commit()
            else:
                _start_session(user)
                flash(_("You are logged in."), "success")
                return redirect(_safe_next(request.args.get("next")))
        status = 422
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    services.end_login_session(db.session, session.get("sid"))
    logout_user()
    locale = session.get("locale") or current_locale()
    session.clear()
    session["locale"] = locale
    flash(_("You are logged out."), "info")
    return redirect(url_for("pages.home"))


@bp.route("/account")
@login_required
def account():
    org = db.session.get(Organisation, current_user.organisation_id) if current_user.organisation_id else None
    members = services.list_members(db.session, org) if org else []
    invitations = services.list_invitations(db.session, org) if org and current_user.is_owner else []
    return render_template("accounts/account.html", org=org, members=members, invitations=invitations,
                           invite_form=InviteForm(), tokens=services.list_api_tokens(db.session, current_user))


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    services.revoke_api_token_by_id(db.session, user=current_user, token_id=token_id)
    flash(_("The API token is revoked; programs using it can no longer call the API."), "success")
    return redirect(url_for("accounts.account") + "#tokens")


@bp.route("/account/security", methods=["GET", "POST"])
@login_required
def security():
    """Change the password or the e-mail address; both ask for the current password again."""
    password_form = ChangePasswordForm(prefix="pw")
    email_form = ChangeEmailForm(prefix="em")
    status = 200
    if request.method == "POST":
        form = password_form if request.form.get("action") == "password" else email_form
        try:
            if form is password_form:
                services.change_password(db.session, user=current_user,
                                         data=parse_form(PasswordChange, submitted(form)),
                                         keep_session=session.get("sid"))
                flash(_("Your password is changed. Other browsers and API tokens are signed out."), "success")
            else:
                services.change_email(db.session, user=current_user, data=parse_form(EmailChange, submitted(form)))
                flash(_("Your e-mail address is changed."), "success")
            return redirect(url_for("accounts.security"))
        except RECOVERABLE as exc:
            attach_errors(form, exc)
        status = 422
    return render_template("accounts/security.html", password_form=password_form, email_form=email_form), status


@bp.post("/account/invitations")
@login_required
def invite():
    form = InviteForm()
    try:
        invitation, token = services.invite_member(db.session, inviter=current_user,
                                                   data=parse_form(InvitationCreate, submitted(form)))
    except DomainError as exc:
        for message in (exc.fields or {"": exc.message}).values():
            flash(message, "danger")
        return redirect(url_for("accounts.account")), 303
    link = url_for("accounts.accept_invitation", token=token, _external=True)
    current_app.logger.info("invitation e-mail to %s: %s", invitation.email, link)
    flash(_("Invitation created. Send this link to %(email)s (valid for %(hours)d hours): %(link)s",
            email=invitation.email, hours=current_app.config["INVITATION_TTL_HOURS"], link=link), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = services.get_open_invitation(db.session, token)
    org = db.session.get(Organisation, invitation.organisation_id)
    form = AcceptInvitationForm()
    status = 200
    if form.is_submitted():
        try:
            user = services.accept_invitation(db.session, token=token, locale=current_locale(),
                                              data=parse_form(InvitationAccept, submitted(form)))
        except RECOVERABLE as exc:
            attach_errors(form, exc)
        else:
            _start_session(user)
            flash(_("Welcome! You have joined %(org)s.", org=org.name(current_locale())), "success")
            return redirect(url_for("accounts.account"))
        status = 422
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation, org=org), status
