"""``/api/v1/notifications``: the caller's notifications."""

from __future__ import annotations

from flask_login import current_user

from marketplace.api import AreaBlueprint, paginate, session
from marketplace.core.schemas import PageQuery
from marketplace.notifications import services
from marketplace.notifications.models import Notification
from marketplace.notifications.schemas import NotificationList, NotificationOut

bp = AreaBlueprint("notifications", __name__, description="What happened to the caller's problems, bids and "
                   "agreements")


def notification_out(n: Notification) -> NotificationOut:
    return NotificationOut(id=n.public_id, kind=n.kind, message=services.message(n.kind, n.params), link=n.link,
                           created_at=n.created_at, read=n.read_at is not None)


@bp.get("/notifications", summary="Your notifications, newest first", responses={200: NotificationList})
def list_notifications(query: PageQuery):
    return paginate(session(), services.notifications_query(current_user), query, notification_out)
