"""Every cross-area signal, in one module: who announces what, and who reacts.

An area's service announces a change with ``<signal>.send(sender, session=..., ...)`` after it has
flushed; the areas that react connect a receiver in their own ``receivers.py``, whose
``connect()`` the app factory calls (connecting twice is a no-op). Senders never import receivers. Receivers run synchronously inside the sender's transaction, in no promised order: one
that fails rolls the whole change back. They flush, never commit, like every service.

A question that needs an answer is not a signal: the bid evaluation asks
``programs.services.estimate_subsidy`` directly for the SME's own share after subsidy.

| signal | sender | arguments | who listens |
| --- | --- | --- | --- |
| ``problem-edited`` | the problem (``problems.services.update_problem``, published, before bidding) | ``session`` | bids: submitted bids of the old revision are invalidated |
| ``problem-amended`` | the problem (``problems.services.publish_amendment``, a change or a longer deadline during bidding) | ``session``, ``amendment`` | bids: submitted bids re-confirm when a priced field changed, else carry on; every vendor with a bid is told what changed |
| ``vendor-invited`` | the problem (``problems.services.invite_vendor``) | ``session``, ``vendor`` | notifications: the vendor is told |
| ``question-asked`` | the problem (``problems.services.ask_question``) | ``session``, ``question`` | notifications: the poster's people are told (page and e-mail), never who asked |
| ``question-answered`` | the problem (``problems.services.answer_question``) | ``session``, ``question`` | bids: askers, invited vendors and bidders are told |
| ``bid-awarded`` | the bid (``bids.services.award_bid``) | ``session``, ``problem`` | programs: a program problem's subsidy waits for the officer; agreements: a problem without a program gets its draft |
| ``subsidy-approved`` | the subsidy (``programs.services.approve_subsidy``) | ``session`` | agreements: the agreement is drafted with the subsidy |
| ``subsidy-rejected`` | the subsidy (``programs.services.reject_subsidy``) | ``session`` | agreements: both parties are told |
| ``agreement-signed`` | the agreement (``agreements.services.sign_agreement``, the last signature) | ``session``, ``problem``, ``with_subsidy`` (the signed terms carry the subsidy) | programs: the approved subsidy is committed |
| ``agreement-terminated`` | the agreement (``agreements.services.terminate_agreement``) | ``session``, ``problem``, ``reason`` | programs: the approved or committed subsidy is released |
| ``milestone-accepting`` | the milestone (``agreements.services.accept_milestone``, before it changes) | ``session`` | outcomes: refuses (Conflict) while the last platform evaluation failed and no reason was recorded |
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

problem_edited = _signals.signal("problem-edited", doc="A published problem changed (its revision went up).")
problem_amended = _signals.signal("problem-amended", doc="A problem in bidding was amended (정정공고).")
vendor_invited = _signals.signal("vendor-invited", doc="The SME invited a vendor to bid on its problem.")
question_asked = _signals.signal("question-asked", doc="A vendor asked a question on a problem.")
question_answered = _signals.signal("question-answered", doc="The SME answered a question on its problem.")
bid_awarded = _signals.signal("bid-awarded", doc="The SME awarded a bid; the other live bids are rejected.")
subsidy_approved = _signals.signal("subsidy-approved", doc="The agency officer approved the subsidy of an award.")
subsidy_rejected = _signals.signal("subsidy-rejected", doc="The agency officer rejected the subsidy of an award.")
agreement_signed = _signals.signal("agreement-signed", doc="The last party signed a version of the agreement.")
agreement_terminated = _signals.signal("agreement-terminated", doc="A party terminated a signed agreement.")
milestone_accepting = _signals.signal("milestone-accepting", doc="The client is about to accept a delivered milestone; "
                                      "a receiver may refuse by raising a domain error.")

