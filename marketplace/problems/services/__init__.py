"""Problem rules, by section; callers keep ``from marketplace.problems import services``.

- :mod:`.access` — who may see and change a problem; reading problems and KPIs
- :mod:`.drafting` — drafting and changing a problem (input checked by ``ProblemCreate``/``ProblemUpdate``)
- :mod:`.lifecycle` — publishing, opening bidding, cancelling, revealing the poster
- :mod:`.invitations` — inviting vendors to bid
- :mod:`.questions` — public questions and answers
- :mod:`.templates` — start-from examples from the demo world
- :mod:`.joint` — a cooperative's joint problem and its cost split

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
    is_member,
    list_kpis,
    list_own_problems,
    org_kind,
    shows_identity,
    visible_problems_query,
)
from marketplace.problems.services.drafting import EDITABLE_STATES, create_problem, update_problem
from marketplace.problems.services.invitations import invite_vendor, invited_vendor_ids
from marketplace.problems.services.joint import JointParty, joint_parties, set_joint_shares
from marketplace.problems.services.lifecycle import (
    MAX_BIDDING_DAYS,
    MIN_BIDDING_DAYS,
    cancel_problem,
    missing_for_publication,
    open_bidding,
    publish_problem,
    reveal_identity,
)
from marketplace.problems.services.questions import (
    QUESTION_STATES,
    answer_question,
    ask_question,
    get_question,
    list_questions,
)
from marketplace.problems.services.templates import TEMPLATE_KEYS, create_from_template, problem_templates

__all__ = [
    "EDITABLE_STATES", "MAX_BIDDING_DAYS", "MIN_BIDDING_DAYS", "POSTER_KINDS", "QUESTION_STATES", "TEMPLATE_KEYS",
    "Completeness", "Hint", "JointParty", "answer_question", "ask_question", "can_view", "cancel_problem",
    "completeness", "create_from_template", "create_problem", "describe_measurement", "get_own_problem",
    "get_problem", "get_question",
    "invite_vendor", "invited_vendor_ids", "is_invited", "is_member", "joint_parties", "list_kpis",
    "list_own_problems", "list_questions", "missing_for_publication", "open_bidding", "org_kind",
    "problem_templates", "publish_problem", "reveal_identity", "set_joint_shares", "shows_identity",
    "update_problem", "visible_problems_query",
]
