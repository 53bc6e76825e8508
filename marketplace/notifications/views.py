"""Pages: the signed-in user's notifications, and the unread count every page's menu shows."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from marketplace.extensions import db
from marketplace.notifications import services

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def notification_list():
    rows = services.list_notifications(db.session, current_user)
    return render_template("notifications/list.html", rows=rows, message=services.message)


@bp.post("/notifications/read")
@login_required
def notifications_read():
    services.mark_all_read(db.session, current_user)
    return redirect(url_for("notifications.notification_list"))


@bp.app_context_processor
def _unread():
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(db.session, current_user)
    return {"unread_notifications": unread_notifications}
