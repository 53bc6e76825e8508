"""Public questions and answers: every vendor sees them, nobody sees who asked."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace import signals
from marketplace.accounts.models import OrgKind, User
from marketplace.audit import services as audit
from marketplace.core.errors import Conflict, NotAllowed, NotFound
from marketplace.core.types import utcnow
from marketplace.problems.models import Problem, ProblemState, Question
from marketplace.problems.schemas import AnswerIn, HideQuestionIn, QuestionIn
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
    signals.question_asked.send(problem, session=session, question=question)
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


def hide_question(session: Session, *, user: User, question: Question, reason: str) -> Question:
    """The SME hides an abusive question with a reason (the contract: :class:`HideQuestionIn`): vendors no
    longer see it or its answer; the reason goes into the audit log. Hiding twice changes nothing."""
    problem = session.get(Problem, question.problem_id)
    if problem is None or not is_member(user, problem.organisation_id):
        raise NotFound(_("No such question."))
    reason = parse_text(HideQuestionIn, "reason", reason, label=_("Reason"))
    if question.hidden_at is not None:
        return question
    question.hidden_at = utcnow()
    question.hidden_reason = reason
    question.hidden_by_id = user.id
    session.add(question)
    session.flush()
    audit.record(session, "question_hidden", actor=user, obj=question,
                 details={"problem": problem.id, "reason": reason})
    logger.info("question hidden id=%s problem=%s", question.id, problem.id)
    return question


def get_question(session: Session, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound(_("No such question."))
    return question


def list_questions(session: Session, problem: Problem, *, viewer: User | None = None) -> list[Question]:
    """The problem's questions; hidden ones only for the poster's people and admins."""
    statement = select(Question).where(Question.problem_id == problem.id).order_by(Question.created_at)
    sees_hidden = viewer is not None and viewer.is_authenticated and (
        viewer.is_admin or is_member(viewer, problem.organisation_id))
    if not sees_hidden:
        statement = statement.where(Question.hidden_at.is_(None))
    return list(session.exec(statement))
