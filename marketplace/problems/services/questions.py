"""Public questions and answers: every vendor sees them, nobody sees who asked."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace import signals
from marketplace.accounts.models import OrgKind, User
from marketplace.core.errors import Conflict, NotAllowed, NotFound
from marketplace.core.types import utcnow
from marketplace.problems.models import Problem, ProblemState, Question
from marketplace.problems.schemas import AnswerIn, QuestionIn
from marketplace.problems.services.access import can_view, is_member, org_kind
from marketplace.problems.services.lifecycle import parse_text

logger = logging.getLogger(__name__)

QUESTION_STATES = (ProblemState.ENQUIRIES, ProblemState.BIDDING)


def ask_question(session: Session, *, user: User, problem: Problem, body: str) -> Question:
    """A vendor asks (the contract: :class:`QuestionIn`) while the problem is open and before the deadline."""
    if not can_view(session, problem, user):
        raise NotFound(_("No such problem."))
    if org_kind(session, user) != OrgKind.VENDOR:
        raise NotAllowed(_("Only AI vendors can ask questions about a problem."))
    if problem.state not in QUESTION_STATES:
        raise Conflict(_("Questions can be asked only while the problem is open for enquiries or bidding."))
    if problem.bid_deadline is not None and problem.bid_deadline <= utcnow():
        raise Conflict(_("The bid deadline has passed."))
    text = parse_text(QuestionIn, "body", body, label=_("Question"))
    question = Question(problem_id=problem.id, organisation_id=user.organisation_id, asked_by_id=user.id, body=text)
    session.add(question)
    session.flush()
    logger.info("question asked id=%s problem=%s", question.id, problem.id)
    return question


def answer_question(session: Session, *, user: User, question: Question, answer: str) -> Question:
    """The SME answers (the contract: :class:`AnswerIn`); every vendor sees the answer."""
    problem = session.get(Problem, question.problem_id)
    if problem is None or not is_member(user, problem.organisation_id):
        raise NotFound(_("No such question."))
    if problem.state not in QUESTION_STATES:
        raise Conflict(_("Questions can be answered only while the problem is open for enquiries or bidding."))
    question.answer = parse_text(AnswerIn, "answer", answer, label=_("Answer"))
    question.answered_at = utcnow()
    question.answered_by_id = user.id
    session.add(question)
    session.flush()
    logger.info("question answered id=%s problem=%s", question.id, problem.id)
    signals.question_answered.send(problem, session=session, question=question)
    return question


def get_question(session: Session, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound(_("No such question."))
    return question


def list_questions(session: Session, problem: Problem) -> list[Question]:
    return list(session.exec(select(Question).where(Question.problem_id == problem.id).order_by(Question.created_at)))
