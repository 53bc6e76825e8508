"""``/api/v1`` operations of discovery: offerings ranked for a problem, problems ranked for a vendor."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Organisation, OrgKind
from marketplace.api import AreaBlueprint, session
from marketplace.core.errors import NotAllowed
from marketplace.discovery import services
from marketplace.discovery.schemas import (
    MatchesQuery,
    MatchList,
    MatchOut,
    OpportunitiesQuery,
    OpportunityList,
    OpportunityOut,
)
from marketplace.i18n import current_locale, format_won
from marketplace.problems import services as problems
from marketplace.problems.schemas import CompletenessOut, OrganisationRef, ProblemPath

bp = AreaBlueprint("discovery", __name__, description="Ranked matches with contributions and reasons")


@bp.get("/problems/<int:problem_id>/matches", summary="Offerings ranked for a problem, with contributions and "
        "reasons; weights= for what-if", responses={200: MatchList})
def problem_matches(path: ProblemPath, query: MatchesQuery):
    problem = problems.get_own_problem(session(), path.problem_id, user=current_user)
    filters = services.build_filters(
        industries=(query.industry,) if query.industry else (), regions=(query.region,) if query.region else (),
        deployment_modes=(query.deployment,) if query.deployment else (), max_price=query.max_price)
    ranked = services.rank_offerings_for_problem(session(), problem, weights=services.parse_weights(query.weights),
                                                 filters=filters, query=query.q, top=query.top)
    english = current_locale() == "en"
    items = [MatchOut(
        offering_id=r.offering.id, title=r.offering.title, vendor_id=r.vendor.id,
        vendor_name=r.vendor.name_en if english else r.vendor.name_ko,
        price_min_krw=r.offering.price_min_krw, price_max_krw=r.offering.price_max_krw,
        price_text=f"{format_won(r.offering.price_min_krw)} – {format_won(r.offering.price_max_krw)}",
        score=round(r.score, 4), contributions={k: round(v, 4) for k, v in r.contributions.items()},
        reasons=r.reasons, matched_terms=r.matched_terms, invited=r.invited, recommended_by=r.recommended_by,
        url=url_for("offerings.detail", offering_id=r.offering.id)) for r in ranked]
    return MatchList(items=items, total=len(items), page=1)


@bp.get("/opportunities", summary="Open problems ranked for the caller's vendor organisation, with reasons",
        responses={200: OpportunityList})
def opportunities(query: OpportunitiesQuery):
    if problems.org_kind(session(), current_user) != OrgKind.VENDOR:
        raise NotAllowed(_("Only AI vendors have opportunities."))
    vendor = session().get(Organisation, current_user.organisation_id)
    ranked = services.rank_problems_for_vendor(
        session(), user=current_user, vendor=vendor, query=query.q, top=query.top,
        industries=(query.industry,) if query.industry else (), regions=(query.region,) if query.region else ())
    items = [OpportunityOut(
        problem_id=r.problem.id, title=r.problem.title, state=r.problem.state, score=round(r.score, 4),
        contributions={k: round(v, 4) for k, v in r.contributions.items()}, reasons=r.reasons,
        best_offering_id=r.offering.id if r.offering else None, completeness=CompletenessOut.of(r.quality),
        organisation=OrganisationRef.of(r.organisation)) for r in ranked]
    return OpportunityList(items=items, total=len(items), page=1)
