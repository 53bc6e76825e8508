"""Pages for sign-up, login, logout, the account page and invitations."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.accounts import services
from marketplace.accounts.forms import (
    AcceptInvitationForm,
    ChangeEmailForm,
    ChangePasswordForm,
    EmailNotificationsForm,
    InviteForm,
    LoginForm,
    MemberForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    SignUpForm,
)
from marketplace.accounts.limits import per_account, per_address, reset_requests
from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.accounts.schemas import (
    EmailChange,
    InvitationAccept,
    InvitationCreate,
    MemberAddIn,
    PasswordChange,
    PasswordResetRequest,
    PasswordResetSet,
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
            flash(_("We have e-mailed you a link to confirm your address."), "info")
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
                           invite_form=InviteForm(), tokens=services.list_api_tokens(db.session, current_user),
                           notifications_form=EmailNotificationsForm(email_notifications=current_user.email_notifications))


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


@bp.route("/password-reset", methods=["GET", "POST"])
@reset_requests
def request_password_reset():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = PasswordResetRequestForm()
    status = 200
    if form.is_submitted():
        try:
            data = parse_form(PasswordResetRequest, submitted(form))
        except RECOVERABLE as exc:
            attach_errors(form, exc)
        else:
            services.request_password_reset(db.session, data.email)
            flash(_("If an account uses this address, we have e-mailed it a link to set a new password. "
                    "The link works once, within an hour."), "info")
            return redirect(url_for("accounts.login"))
        status = 422
    return render_template("accounts/password_reset_request.html", form=form), status


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = PasswordResetForm()
    try:
        services.reset_for_token(db.session, token)
    except services.ResetLinkInvalid as exc:
        return render_template("accounts/password_reset.html", form=None, problem=exc.message), 410
    status = 200
    if form.is_submitted():
        try:
            data = parse_form(PasswordResetSet, submitted(form))
            services.reset_password(db.session, token=token, password=data.password)
        except services.ResetLinkInvalid as exc:
            return render_template("accounts/password_reset.html", form=None, problem=exc.message), 410
        except RECOVERABLE as exc:
            attach_errors(form, exc)
        else:
            if current_user.is_authenticated:
                logout_user()
            locale = session.get("locale")
            session.clear()
            if locale:
                session["locale"] = locale
            flash(_("Your password is set. Every browser and API token was signed out; log in with the new password."),
                  "success")
            return redirect(url_for("accounts.login"))
        status = 422
    return render_template("accounts/password_reset.html", form=form, problem=None), status


@bp.get("/verify-email/<token>")
def verify_email(token: str):
    try:
        services.verify_email(db.session, token)
    except services.VerificationLinkInvalid as exc:
        flash(exc.message, "warning")
        return redirect(url_for("accounts.account") if current_user.is_authenticated else url_for("accounts.login"))
    flash(_("Thank you: your e-mail address is confirmed."), "success")
    return redirect(url_for("accounts.account") if current_user.is_authenticated else url_for("accounts.login"))


@bp.post("/account/verify-email")
@login_required
def resend_verification():
    if current_user.email_verified_at is None:
        services.send_verification(db.session, current_user)
        flash(_("We have e-mailed you a new link to confirm %(email)s.", email=current_user.email), "info")
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/account/notifications")
@login_required
def email_notifications():
    form = EmailNotificationsForm()
    try:
        services.set_email_notifications(db.session, user=current_user,
                                         choice=str(submitted(form).get("email_notifications") or ""))
    except RECOVERABLE as exc:
        flash(exc.message if not exc.fields else next(iter(exc.fields.values())), "danger")
        return redirect(url_for("accounts.account")), 303
    flash(_("Your e-mail preference is saved."), "success")
    return redirect(url_for("accounts.account"))


# --- a cooperative's member SMEs -----------------------------------------------------------------

def _cooperative() -> Organisation:
    if not current_user.organisation_id:
        abort(403)
    org = db.session.get(Organisation, current_user.organisation_id)
    if org is None or org.kind != OrgKind.COOPERATIVE:
        abort(403)
    return org


@bp.get("/cooperative/members")
@login_required
def members():
    coop = _cooperative()
    return render_template("accounts/members.html", cooperative=coop,
                           members=services.list_member_organisations(db.session, coop),
                           pending=services.pending_member_invitations(db.session, coop), form=MemberForm(),
                           values={}, errors={})


@bp.post("/cooperative/members")
@login_required
def add_member():
    coop = _cooperative()
    form = MemberForm()
    values = {k: (request.form.get(k) or "").strip() for k in ("brn", "email", "company_name")}
    data = {k: v or None for k, v in values.items()}
    data["company_name"] = values["company_name"]
    try:
        member, _token = services.add_member(db.session, user=current_user, cooperative=coop,
                                             data=parse_form(MemberAddIn, data))
    except RECOVERABLE as exc:
        errors = dict(exc.fields or {}) or {"brn": exc.message}
        return render_template("accounts/members.html", cooperative=coop,
                               members=services.list_member_organisations(db.session, coop),
                               pending=services.pending_member_invitations(db.session, coop), form=form,
                               values=values, errors=errors), 422
    if member is not None:
        flash(_("%(name)s is now a member.", name=member.name(current_locale())), "success")
    else:
        flash(_("The invitation was e-mailed to %(email)s.", email=values["email"]), "success")
    return redirect(url_for("accounts.members"))


@bp.post("/cooperative/members/<int:member_id>/remove")
@login_required
def remove_member(member_id: int):
    coop = _cooperative()
    services.remove_member(db.session, user=current_user, cooperative=coop, member_id=member_id)
    flash(_("The company is no longer a member."), "info")
    return redirect(url_for("accounts.members"))


@bp.route("/member-invitations/<token>", methods=["GET", "POST"])
def accept_member_invitation(token: str):
    invitation = services.get_member_invitation(db.session, token)
    coop = db.session.get(Organisation, invitation.cooperative_id)
    form = SignUpForm()
    status = 200
    if form.is_submitted():
        try:
            data = {**submitted(form), "kind": "sme"}
            user = services.accept_member_invitation(db.session, token=token, locale=current_locale(),
                                                     data=parse_form(SignUp, data))
        except RECOVERABLE as exc:
            attach_errors(form, exc)
        else:
            _start_session(user)
            flash(_("Welcome! Your company is registered and is now a member of %(coop)s.",
                    coop=coop.name(current_locale())), "success")
            return redirect(url_for("pages.home"))
        status = 422
    elif not form.email.data:
        form.email.data = invitation.email
        form.name_ko.data = invitation.company_name or None
    return render_template("accounts/signup.html", form=form, member_invitation=invitation, cooperative=coop), status
