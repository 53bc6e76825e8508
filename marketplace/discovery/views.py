"""Pages: vendors ranked for an SME's problem (discover) and problems ranked for a vendor (opportunities)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from sqlmodel import select

from marketplace.accounts.models import Organisation, OrgKind
from marketplace.core.routing import bounded_int
from marketplace.discovery import services
from marketplace.extensions import db
from marketplace.i18n import criterion_labels
from marketplace.offerings.models import Offering
from marketplace.problems import services as problems
from matching import taxonomy

bp = Blueprint("discovery", __name__)


@bp.get("/problems/<int:problem_id>/discover")
@login_required
def discover(problem_id: int):
    problem = problems.get_own_problem(db.session, problem_id, user=current_user)
    args = _discovery_args()
    ranked = services.rank_offerings_for_problem(db.session, problem, filters=args["filters"], query=args["q"])
    return render_template("discovery/discover.html", problem=problem, ranked=ranked, labels=criterion_labels(),
                           args=args, regions=taxonomy.regions(), industries=taxonomy.industries(section="C"),
                           deployment_modes=taxonomy.deployment_modes())


def _discovery_args() -> dict:
    max_price = bounded_int(request.args.get("max_price"), low=0, high=10**15)
    args = {
        "q": (request.args.get("q") or "").strip()[:100] or None,
        "industry": request.args.get("industry") or "",
        "region": request.args.get("region") or "",
        "deployment": request.args.get("deployment") or "",
        "max_price": max_price,
    }
    args["filters"] = services.build_filters(
        industries=(args["industry"],) if args["industry"] else (),
        regions=(args["region"],) if args["region"] else (),
        deployment_modes=(args["deployment"],) if args["deployment"] else (),
        max_price=max_price)
    return args


@bp.get("/opportunities")
@login_required
def opportunities():
    if problems.org_kind(db.session, current_user) != OrgKind.VENDOR:
        abort(403)
    vendor = db.session.get(Organisation, current_user.organisation_id)
    q = (request.args.get("q") or "").strip()[:100] or None
    industry = request.args.get("industry") or ""
    region = request.args.get("region") or ""
    ranked = services.rank_problems_for_vendor(db.session, user=current_user, vendor=vendor, query=q,
                                                industries=(industry,) if industry else (),
                                                regions=(region,) if region else ())
    has_offerings = bool(db.session.exec(select(Offering.id).where(
        Offering.organisation_id == vendor.id)).first())
    return render_template("discovery/opportunities.html", ranked=ranked, q=q or "", industry=industry, region=region,
                           regions=taxonomy.regions(), industries=taxonomy.industries(section="C"),
                           has_offerings=has_offerings)
