"""The next-step rule: every answer is worded, and the answers people rely on."""

from hypothesis import given
from hypothesis import strategies as st

from marketplace.pages.next_steps import (
    AgreementFacts,
    ProblemFacts,
    agreement_next_step,
    bid_next_step,
    problem_next_step,
)

PROBLEM_STATES = ["draft", "enquiries", "bidding", "evaluation", "awarded", "contracted", "in_delivery",
                  "completed", "cancelled", "unsuccessful"]
BID_STATES = ["draft", "submitted", "withdrawn", "invalidated", "shortlisted", "rejected", "awarded"]


@given(st.builds(ProblemFacts, state=st.sampled_from(PROBLEM_STATES), unanswered_questions=st.integers(0, 5),
                 joint_member=st.booleans(), has_agreement=st.booleans(),
                 delivered_milestones=st.integers(0, 3)),
       st.sampled_from(BID_STATES), st.booleans(),
       st.builds(AgreementFacts, status=st.sampled_from(["draft", "pending_signatures", "signed", "terminated"]),
                 role=st.sampled_from(["client", "member", "vendor"]),
                 milestones_to_deliver=st.integers(0, 3), milestones_delivered=st.integers(0, 3)))
def test_every_next_step_is_a_known_code(problem, bid_state, open_, agreement):
    codes = {problem_next_step(problem), bid_next_step(bid_state, bidding_open=open_),
             agreement_next_step(agreement)}
    assert codes <= set(KNOWN)


KNOWN = ["complete_draft", "publish", "answer_questions", "open_bidding", "wait_for_deadline", "evaluate_bids",
         "wait_for_subsidy", "wait_for_agreement", "sign_agreement", "wait_for_signatures", "accept_milestone",
         "wait_for_delivery", "review_vendor", "done", "none", "submit_bid", "confirm_bid", "revise_or_wait",
         "wait_for_decision", "open_agreement", "deliver_milestone", "wait_for_acceptance", "cooperative_leads"]


def test_the_labels_cover_every_code_in_both_languages(app):
    from flask_babel import force_locale

    for lang in ("ko", "en"):
        with app.test_request_context(), force_locale(lang):
            from marketplace.pages.services import next_step_labels
            words = next_step_labels()
        assert set(words) == set(KNOWN)
        assert all(w and "_" not in w for w in words.values())


def test_questions_come_before_opening_bidding():
    assert problem_next_step(ProblemFacts("enquiries", unanswered_questions=2)) == "answer_questions"
    assert problem_next_step(ProblemFacts("enquiries")) == "open_bidding"
    assert problem_next_step(ProblemFacts("bidding", deadline_passed=True)) == "evaluate_bids"


def test_an_invalidated_bid_asks_for_confirmation_only_while_bidding_is_open():
    assert bid_next_step("invalidated", bidding_open=True) == "confirm_bid"
    assert bid_next_step("invalidated", bidding_open=False) == "none"


def test_the_vendor_delivers_and_the_client_accepts():
    assert agreement_next_step(AgreementFacts("signed", "vendor", milestones_to_deliver=3)) == "deliver_milestone"
    assert agreement_next_step(AgreementFacts("signed", "client", milestones_delivered=1)) == "accept_milestone"
    assert agreement_next_step(AgreementFacts("draft", "member")) == "sign_agreement"
