"""Problem rules, by section; callers keep ``from marketplace.problems import services``.

- :mod:`.access` — who may see and change a problem; reading problems and KPIs
- :mod:`.drafting` — drafting and changing a problem (input checked by ``ProblemCreate``/``ProblemUpdate``)
- :mod:`.lifecycle` — publishing, opening bidding, cancelling, revealing the poster
- :mod:`.invitations` — inviting vendors to bid
- :mod:`.questions` — public questions and answers
- :mod:`.templates` — start-from examples from the demo world
- :mod:`.joint` — a cooperative's joint problem and its cost split
- :mod:`.amendments` — amendments during bidding (정정공고) and extending the deadline

Pure rules sit next to the package: :mod:`marketplace.problems.completeness` (how well a problem is
defined, what publishing needs), :mod:`marketplace.problems.keywords` (free words → problem types),
:mod:`marketplace.problems.shares` (a cooperative's cost split).
"""

from marketplace.problems.completeness import Completeness, Hint, completeness
from marketplace.problems.measurement import describe as describe_measurement
from marketplace.problems.services.access import (
    POSTER_KINDS,
    can_view,
    get_own_problem,
    get_problem,
    is_invited,
    is_joint_member,
    is_member,
    joint_problems_of,
    list_kpis,
    list_own_problems,
    org_kind,
    public_industry,
    public_reasons,
    shows_identity,
    visible_problems_query,
)
from marketplace.problems.services.amendments import extend_deadline, list_amendments, publish_amendment
from marketplace.problems.services.drafting import (
    EDITABLE_STATES,
    amend_problem,
    create_problem,
    snapshot,
    update_problem,
)
from marketplace.problems.services.invitations import invite_vendor
from marketplace.problems.services.joint import JointParty, joint_parties, set_joint_shares, visible_joint_parties
from marketplace.problems.services.lifecycle import (
    MAX_BIDDING_DAYS,
    MIN_BIDDING_DAYS,
    cancel_problem,
    missing_for_publication,
    open_bidding,
    publish_problem,
    reveal_identity,
    weights_commitment,
)
from marketplace.problems.services.questions import (
    QUESTION_STATES,
    answer_question,
    ask_question,
    get_question,
    hide_question,
    list_questions,
)
from marketplace.problems.services.templates import TEMPLATE_KEYS, create_from_template, problem_templates

__all__ = [
    "EDITABLE_STATES", "MAX_BIDDING_DAYS", "MIN_BIDDING_DAYS", "POSTER_KINDS", "QUESTION_STATES", "TEMPLATE_KEYS",
    "Completeness", "Hint", "JointParty", "amend_problem", "answer_question", "ask_question", "can_view",
    "cancel_problem", "completeness", "create_from_template", "create_problem", "describe_measurement",
    "extend_deadline", "get_own_problem", "get_problem", "get_question", "hide_question", "invite_vendor",
    "is_invited", "is_joint_member", "is_member", "joint_parties", "joint_problems_of",
    "list_amendments", "list_kpis", "list_own_problems", "list_questions", "missing_for_publication",
    "open_bidding", "org_kind", "problem_templates", "publish_amendment", "publish_problem", "reveal_identity",
    "set_joint_shares", "shows_identity", "snapshot", "update_problem", "visible_joint_parties", "visible_problems_query",
    "weights_commitment",
]
