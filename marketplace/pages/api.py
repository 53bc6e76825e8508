"""``/api/v1`` my work: the caller's bids and agreements, each with its next step (the pages' lists)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Organisation, OrgKind
from marketplace.api import AreaBlueprint, paginate, session
from marketplace.core.errors import NotAllowed
from marketplace.pages import services as work
from marketplace.pages.schemas import MineQuery, MyAgreementList, MyAgreementOut, MyBidList, MyBidOut

bp = AreaBlueprint("work", __name__, description="My work: your bids and agreements with the next step")


def _organisation() -> Organisation:
    org = session().get(Organisation, current_user.organisation_id) if current_user.organisation_id else None
    if org is None:
        raise NotAllowed(_("Only members of an organisation have bids and agreements."))
    return org


@bp.get("/bids", summary="Your vendor organisation's bids with their state, deadline and next step",
        responses={200: MyBidList})
def my_bids(query: MineQuery):
    org = _organisation()
    if org.kind != OrgKind.VENDOR:
        raise NotAllowed(_("Only AI vendors can bid."))
    labels = work.next_step_labels()

    def convert(row) -> MyBidOut:
        item = work.bid_item(session(), *row)
        return MyBidOut(id=item.bid.id, problem_id=item.problem.id, problem_title=item.problem.title,
                        problem_state=item.problem.state, state=item.bid.state, price_krw=item.bid.price_krw,
                        bid_deadline=item.deadline, submitted_at=item.bid.submitted_at,
                        agreement_id=item.agreement_id, next_step=item.next_step,
                        next_step_label=labels[item.next_step])

    return paginate(session(), work.my_bids_query(org.id), query, convert)


@bp.get("/agreements", summary="Agreements your organisation is a party of, with the next step",
        responses={200: MyAgreementList})
def my_agreements(query: MineQuery):
    org = _organisation()
    labels = work.next_step_labels()

    def convert(row) -> MyAgreementOut:
        item = work.agreement_item(session(), *row, org.id)
        return MyAgreementOut(id=item.agreement.id, reference=item.agreement.reference, problem_id=item.problem.id,
                              problem_title=item.problem.title, status=item.agreement.status, role=item.role,
                              current_version=item.agreement.current_version, next_step=item.next_step,
                              next_step_label=labels[item.next_step])

    return paginate(session(), work.my_agreements_query(org.id), query, convert)
