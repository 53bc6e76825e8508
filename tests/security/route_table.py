"""Expected outcome of every route for every role, and the sample input each request sends.

Requests carry valid sample input where a route needs it, so that what the table shows is the
authorisation decision, not input validation. Review any change to EXPECTED like a change of rules.
"""

from __future__ import annotations

from datetime import date, timedelta

from marketplace.core.types import utcnow
from tests.factories import PASSWORD

ROLES = ("anon", "owner", "other_sme", "vendor", "other_vendor", "officer", "admin")
ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"anon"}
PARTIES = frozenset({"owner", "vendor"})
NONE: frozenset = frozenset()

#: Endpoints whose ``problem_id`` is the signed agreement's problem (every other one gets the problem in bidding).
AGREEMENT_PROBLEM_ENDPOINTS = frozenset({
    "agreements.for_problem", "agreements.continue_without_subsidy", "api.agreements.get_problem_agreement"})


def sample_json(world, key) -> dict:
    """A valid JSON body for API writes (role-independent)."""
    w = world
    today = date.today()
    samples = {
        ("POST", "/api/v1/agreements/<int:agreement_id>/sign"): {"password": "not-the-password-1"},
        ("POST", "/api/v1/agreements/<int:agreement_id>/versions"): {"warranty_months": 12},
        ("POST", "/api/v1/agreements/<int:agreement_id>/terminate"): {"reason": "납기 지연",
                                                                      "password": "not-the-password-1"},
        ("POST", "/api/v1/agreements/<int:agreement_id>/review"): {"scores": {"cost": 5, "quality": 4}},
        ("POST", "/api/v1/bids/<int:bid_id>/reject"): {"reason": "요구 KPI에 미달"},
        ("POST", "/api/v1/bids/<int:bid_id>/explanation"): {"explanation": "기존 모델을 재사용합니다"},
        ("POST", "/api/v1/bids/<int:bid_id>/explanation/reject"): {"reason": "근거 부족"},
        ("POST", "/api/v1/offerings/<int:offering_id>/references/<int:ref_id>/confirmation-request"): {
            "email": "qa@example.com"},
        ("POST", "/api/v1/milestones/<int:milestone_id>/deliver"): {"note": "납품합니다"},
        ("POST", "/api/v1/milestones/<int:milestone_id>/reject"): {"reason": "검수 기준 미달"},
        ("POST", "/api/v1/offerings"): {
            "title": "비전 검사 솔루션", "description": "카메라로 외관 불량을 검사합니다.",
            "capabilities": ["visual_inspection"], "industries": ["C30"], "regions_served": [],
            "deployment_modes": ["edge"], "price_min_krw": 50_000_000, "price_max_krw": 90_000_000,
            "typical_weeks": 12, "capacity": 2,
            "profile": {c: 0.5 for c in ("quality", "throughput", "cost", "delivery_speed", "explainability",
                                         "data_privacy", "maintenance")}},
        ("POST", "/api/v1/problems"): {"title": "새 과제 초안 만들기"},
        ("POST", "/api/v1/problems/<int:problem_id>/cancel"): {"reason": "예산 사정"},
        ("POST", "/api/v1/problems/<int:problem_id>/invitations"): {"vendor_id": w.other_vendor.organisation_id},
        ("POST", "/api/v1/problems/<int:problem_id>/open-bidding"): {
            "deadline": (utcnow() + timedelta(days=10)).isoformat()},
        ("POST", "/api/v1/problems/<int:problem_id>/questions"): {"body": "데이터는 어떤 형식인가요?"},
        ("POST", "/api/v1/programs"): {
            "name_ko": "새 지원사업", "name_en": "New program", "total_budget_krw": 100_000_000,
            "subsidy_ratio": "0.5", "cap_per_project_krw": 50_000_000, "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=30)).isoformat()},
        ("POST", "/api/v1/programs/<int:program_id>/applications"): {"problem_id": w.draft.id},
        ("POST", "/api/v1/programs/<int:program_id>/recommendations"): {
            "problem_id": w.application_problem.id, "vendor_ids": [w.other_vendor.organisation_id]},
        ("POST", "/api/v1/questions/<int:question_id>/answer"): {"answer": "CSV로 드립니다."},
        ("POST", "/api/v1/subsidies/<int:subsidy_id>/reject"): {"reason": "예산 부족"},
        ("POST", "/api/v1/tokens"): {"email": w.owner.email, "password": PASSWORD},
        ("POST", "/api/v1/questions/<int:question_id>/hide"): {"reason": "과제와 무관한 욕설"},
        ("POST", "/api/v1/problems/<int:problem_id>/amendments"): {"title": "정정된 과제 제목입니다", "note": "제목 정정"},
        ("POST", "/api/v1/problems/<int:problem_id>/extend-deadline"): {
            "deadline": (utcnow() + timedelta(days=20)).isoformat()},
        ("POST", "/api/v1/problems/<int:problem_id>/shares"): {"shares": {}},
        ("POST", "/api/v1/organisations/<int:organisation_id>/members"): {"email": "new@member.example"},
    }
    return samples.get(key, {})


def sample_form(world, key) -> dict:
    """Form fields (besides the CSRF token) for page writes that need them."""
    w = world
    samples = {
        ("POST", "/problems/<int:problem_id>/invitations"): {"vendor_id": w.other_vendor.organisation_id},
        ("POST", "/problems/<int:problem_id>/cancel"): {"reason": "예산 사정"},
        ("POST", "/programs/<int:program_id>/recommendations"): {
            "problem_id": w.application_problem.id, "vendor_ids": [w.other_vendor.organisation_id]},
        ("POST", "/subsidies/<int:subsidy_id>/reject"): {"reason": "예산 부족"},
        ("POST", "/agreements/<int:agreement_id>/sign"): {"password": "not-the-password-1"},
        ("POST", "/agreements/<int:agreement_id>/terminate"): {"reason": "납기 지연", "password": "not-the-password-1"},
        ("POST", "/agreements/<int:agreement_id>/versions"): {"ip_ownership": "sme", "warranty_months": "12"},
        ("POST", "/programs/<int:program_id>/apply"): {"problem_id": w.draft.id},
    }
    return samples.get(key, {})


#: workflows (issue 17): my work, questions, amendments, cooperative members (the world's organisation is a vendor,
#: so the member routes answer 404 to every role; tests/marketplace/accounts/test_cooperative_members.py covers them)
WORKFLOWS: dict = {
    ('GET', '/my/bids'): frozenset(['other_vendor', 'vendor']),
    ('GET', '/my/agreements'): frozenset(['officer', 'other_sme', 'other_vendor', 'owner', 'vendor']),
    ('GET', '/cooperative/members'): NONE,
    ('POST', '/cooperative/members'): NONE,
    ('POST', '/cooperative/members/<int:member_id>/remove'): NONE,
    ('GET', '/member-invitations/<token>'): NONE,
    ('POST', '/member-invitations/<token>'): NONE,
    ('POST', '/questions/<int:question_id>/hide'): frozenset(['owner']),
    ('POST', '/problems/<int:problem_id>/extend-deadline'): frozenset(['owner']),
    ('POST', '/problems/<int:problem_id>/shares'): frozenset(['owner']),
    ('GET', '/api/v1/bids'): frozenset(['other_vendor', 'vendor']),
    ('GET', '/api/v1/agreements'): frozenset(['officer', 'other_sme', 'other_vendor', 'owner', 'vendor']),
    ('GET', '/api/v1/organisations/<int:organisation_id>/members'): NONE,
    ('POST', '/api/v1/organisations/<int:organisation_id>/members'): NONE,
    ('DELETE', '/api/v1/organisations/<int:organisation_id>/members/<int:member_id>'): NONE,
    ('POST', '/api/v1/questions/<int:question_id>/hide'): frozenset(['owner']),
    ('GET', '/api/v1/problems/<int:problem_id>/amendments'): ALL,
    ('POST', '/api/v1/problems/<int:problem_id>/amendments'): frozenset(['owner']),
    ('POST', '/api/v1/problems/<int:problem_id>/extend-deadline'): frozenset(['owner']),
    ('GET', '/api/v1/problems/<int:problem_id>/shares'): SIGNED_IN,
    ('POST', '/api/v1/problems/<int:problem_id>/shares'): frozenset(['owner']),
}

EXPECTED: dict = {
    **WORKFLOWS,
    ('DELETE', '/api/v1/tokens/current'): SIGNED_IN,
    ('GET', '/'): ALL,
    ('GET', '/account'): SIGNED_IN,
    ('GET', '/account/security'): SIGNED_IN,
    ('GET', '/admin/audit'): frozenset(['admin']),
    ('GET', '/admin/organisations'): frozenset(['admin']),
    ('GET', '/agreements/<int:agreement_id>'): frozenset(['admin', 'owner', 'vendor']),
    ('GET', '/agreements/<int:agreement_id>/pdf'): frozenset(['admin', 'owner', 'vendor']),
    ('GET', '/api/v1/agreements/<int:agreement_id>'): frozenset(['admin', 'owner', 'vendor']),
    ('GET', '/api/v1/agreements/<int:agreement_id>/pdf'): frozenset(['admin', 'owner', 'vendor']),
    ('GET', '/api/v1/bids/<int:bid_id>'): frozenset(['vendor']),
    ('GET', '/api/v1/docs'): ALL,
    ('GET', '/api/v1/me'): SIGNED_IN,
    ('GET', '/api/v1/notifications'): SIGNED_IN,
    ('GET', '/api/v1/offerings'): ALL,
    ('GET', '/api/v1/offerings/<int:offering_id>'): ALL,
    ('GET', '/api/v1/openapi.json'): ALL,
    ('GET', '/api/v1/opportunities'): frozenset(['other_vendor', 'vendor']),
    ('GET', '/api/v1/organisations/<int:organisation_id>'): SIGNED_IN,
    ('GET', '/api/v1/problems'): SIGNED_IN,
    ('GET', '/api/v1/problems/<int:problem_id>'): ALL,
    ('GET', '/api/v1/problems/<int:problem_id>/agreement'): frozenset(['admin', 'owner', 'vendor']),
    ('GET', '/api/v1/problems/<int:problem_id>/bids'): frozenset(['other_vendor', 'owner', 'vendor']),
    ('GET', '/api/v1/problems/<int:problem_id>/evaluation'): frozenset(['owner']),
    ('GET', '/api/v1/problems/<int:problem_id>/matches'): frozenset(['owner']),
    ('GET', '/api/v1/problems/<int:problem_id>/questions'): ALL,
    ('GET', '/api/v1/programs'): ALL,
    ('GET', '/api/v1/programs/<int:program_id>'): ALL,
    ('GET', '/api/v1/programs/<int:program_id>/dashboard'): frozenset(['officer']),
    ('GET', '/api/v1/programs/<int:program_id>/export.csv'): frozenset(['officer']),
    ('GET', '/api/v1/subsidies/<int:subsidy_id>'): frozenset(['admin', 'officer']),
    ('GET', '/bootstrap/static/<path:filename>'): ALL,
    ('GET', '/healthz'): ALL,
    ('GET', '/invitations/<token>'): NONE,
    ('GET', '/login'): ALL,
    ('GET', '/notifications'): SIGNED_IN,
    ('GET', '/offerings'): ALL,
    ('GET', '/offerings/<int:offering_id>'): ALL,
    ('GET', '/offerings/<int:offering_id>/edit'): frozenset(['vendor']),
    ('GET', '/offerings/mine'): frozenset(['other_vendor', 'vendor']),
    ('GET', '/offerings/new'): frozenset(['other_vendor', 'vendor']),
    ('GET', '/opportunities'): frozenset(['other_vendor', 'vendor']),
    ('GET', '/problems'): frozenset(['other_sme', 'owner']),
    ('GET', '/problems/<int:problem_id>'): ALL,
    ('GET', '/problems/<int:problem_id>/agreement'): frozenset(['admin', 'owner', 'vendor']),
    ('GET', '/problems/<int:problem_id>/bid'): frozenset(['other_vendor', 'vendor']),
    ('GET', '/problems/<int:problem_id>/discover'): frozenset(['owner']),
    ('GET', '/problems/<int:problem_id>/edit/<int:step>'): frozenset(['owner']),
    ('GET', '/problems/<int:problem_id>/evaluation'): frozenset(['owner']),
    ('GET', '/problems/new'): frozenset(['other_sme', 'owner']),
    ('GET', '/programs'): ALL,
    ('GET', '/programs/<int:program_id>'): ALL,
    ('GET', '/programs/<int:program_id>/batch'): frozenset(['officer']),
    ('GET', '/programs/<int:program_id>/brokering'): frozenset(['officer']),
    ('GET', '/programs/<int:program_id>/dashboard'): frozenset(['officer']),
    ('GET', '/programs/<int:program_id>/edit'): frozenset(['officer']),
    ('GET', '/programs/new'): frozenset(['officer']),
    ('GET', '/signup'): ALL,
    ('GET', '/static/<path:filename>'): ALL,
    ('GET', '/subsidies'): frozenset(['officer']),
    ('GET', '/vendors/<int:organisation_id>'): ALL,
    ('GET', '/verify'): ALL,
    ('PATCH', '/api/v1/bids/<int:bid_id>'): frozenset(['vendor']),
    ('PATCH', '/api/v1/offerings/<int:offering_id>'): frozenset(['vendor']),
    ('PATCH', '/api/v1/problems/<int:problem_id>'): frozenset(['owner']),
    ('POST', '/account/invitations'): SIGNED_IN,
    ('POST', '/account/security'): SIGNED_IN,
    ('POST', '/admin/organisations/<int:organisation_id>/verify'): frozenset(['admin']),
    ('POST', '/agreements/<int:agreement_id>/review'): frozenset(['owner']),
    ('POST', '/agreements/<int:agreement_id>/sign'): PARTIES,
    ('POST', '/agreements/<int:agreement_id>/terminate'): PARTIES,
    ('POST', '/agreements/<int:agreement_id>/versions'): PARTIES,
    ('POST', '/api/v1/agreements/<int:agreement_id>/review'): frozenset(['owner']),
    ('POST', '/api/v1/agreements/<int:agreement_id>/sign'): PARTIES,
    ('POST', '/api/v1/agreements/<int:agreement_id>/terminate'): PARTIES,
    ('POST', '/api/v1/agreements/<int:agreement_id>/versions'): PARTIES,
    ('POST', '/api/v1/bids/<int:bid_id>/award'): NONE,
    ('POST', '/api/v1/bids/<int:bid_id>/reject'): NONE,
    ('POST', '/api/v1/bids/<int:bid_id>/shortlist'): NONE,
    ('POST', '/api/v1/bids/<int:bid_id>/submit'): frozenset(['vendor']),
    ('POST', '/api/v1/bids/<int:bid_id>/withdraw'): frozenset(['vendor']),
    ('POST', '/api/v1/milestones/<int:milestone_id>/accept'): frozenset(['owner']),
    ('POST', '/api/v1/milestones/<int:milestone_id>/deliver'): frozenset(['vendor']),
    ('POST', '/api/v1/milestones/<int:milestone_id>/reject'): frozenset(['owner']),
    ('POST', '/api/v1/offerings'): frozenset(['other_vendor', 'vendor']),
    ('POST', '/api/v1/problems'): frozenset(['other_sme', 'owner']),
    ('POST', '/api/v1/problems/<int:problem_id>/agreement'): NONE,
    ('POST', '/api/v1/problems/<int:problem_id>/bids'): frozenset(['other_vendor', 'vendor']),
    ('POST', '/api/v1/problems/<int:problem_id>/cancel'): frozenset(['owner']),
    ('POST', '/api/v1/problems/<int:problem_id>/invitations'): frozenset(['owner']),
    ('POST', '/api/v1/problems/<int:problem_id>/open-bidding'): frozenset(['owner']),
    ('POST', '/api/v1/problems/<int:problem_id>/publish'): frozenset(['owner']),
    ('POST', '/api/v1/problems/<int:problem_id>/questions'): frozenset(['other_vendor', 'vendor']),
    ('POST', '/api/v1/programs'): frozenset(['officer']),
    ('POST', '/api/v1/programs/<int:program_id>/applications'): frozenset(['owner']),
    ('POST', '/api/v1/programs/<int:program_id>/batch-match'): frozenset(['officer']),
    ('POST', '/api/v1/programs/<int:program_id>/recommendations'): frozenset(['officer']),
    ('POST', '/api/v1/questions/<int:question_id>/answer'): frozenset(['owner']),
    ('POST', '/api/v1/subsidies/<int:subsidy_id>/approve'): frozenset(['officer']),
    ('POST', '/api/v1/subsidies/<int:subsidy_id>/reject'): frozenset(['officer']),
    ('POST', '/api/v1/tokens'): ALL,
    ('POST', '/api/v1/verify'): ALL,
    ('POST', '/bids/<int:bid_id>/<any(shortlist, reject, explanation_request, explanation_accept, '
             'explanation_reject):action>'): NONE,
    ('GET', '/api/v1/organisations/<int:organisation_id>/evidence'): SIGNED_IN,
    ('GET', '/api/v1/problems/<int:problem_id>/opening'): PARTIES,
    ('GET', '/bids/<int:bid_id>/award'): NONE,
    ('POST', '/bids/<int:bid_id>/award'): NONE,
    ('GET', '/problems/<int:problem_id>/opening'): PARTIES,
    ('GET', '/references/confirm/<token>'): NONE,
    ('POST', '/references/confirm/<token>'): NONE,
    ('POST', '/api/v1/bids/<int:bid_id>/explanation-request'): NONE,
    ('POST', '/api/v1/bids/<int:bid_id>/explanation/accept'): NONE,
    ('POST', '/api/v1/bids/<int:bid_id>/explanation/reject'): NONE,
    ('POST', '/api/v1/bids/<int:bid_id>/explanation'): frozenset(['vendor']),
    ('POST', '/bids/<int:bid_id>/explanation'): frozenset(['vendor']),
    ('POST', '/api/v1/offerings/<int:offering_id>/references/<int:ref_id>/confirmation-request'): NONE,
    ('POST', '/invitations/<token>'): NONE,
    ('POST', '/language'): ALL,
    ('POST', '/login'): ALL,
    ('POST', '/logout'): SIGNED_IN,
    ('POST', '/milestones/<int:milestone_id>/<any(deliver, accept, reject):action>'): frozenset(['vendor']),
    ('POST', '/notifications/read'): SIGNED_IN,
    ('POST', '/offerings/<int:offering_id>/<any(pause, activate):action>'): frozenset(['vendor']),
    ('POST', '/offerings/<int:offering_id>/edit'): frozenset(['vendor']),
    ('POST', '/offerings/new'): frozenset(['other_vendor', 'vendor']),
    ('POST', '/problems/<int:problem_id>/agreement'): PARTIES,
    ('POST', '/problems/<int:problem_id>/bid'): frozenset(['other_vendor', 'vendor']),
    ('POST', '/problems/<int:problem_id>/cancel'): frozenset(['owner']),
    ('POST', '/problems/<int:problem_id>/edit/<int:step>'): frozenset(['owner']),
    ('POST', '/problems/<int:problem_id>/invitations'): frozenset(['owner']),
    ('POST', '/problems/<int:problem_id>/open-bidding'): frozenset(['owner']),
    ('POST', '/problems/<int:problem_id>/publish'): frozenset(['owner']),
    ('POST', '/problems/<int:problem_id>/questions'): frozenset(['other_vendor', 'vendor']),
    ('POST', '/problems/<int:problem_id>/reveal'): frozenset(['owner']),
    ('POST', '/problems/new'): frozenset(['other_sme', 'owner']),
    ('POST', '/programs/<int:program_id>/apply'): SIGNED_IN,
    ('POST', '/programs/<int:program_id>/batch'): frozenset(['officer']),
    ('POST', '/programs/<int:program_id>/batch/publish'): frozenset(['officer']),
    ('POST', '/programs/<int:program_id>/edit'): frozenset(['officer']),
    ('POST', '/programs/<int:program_id>/recommendations'): frozenset(['officer']),
    ('POST', '/programs/new'): frozenset(['officer']),
    ('POST', '/questions/<int:question_id>/answer'): frozenset(['owner']),
    ('POST', '/signup'): ALL,
    ('POST', '/subsidies/<int:subsidy_id>/approve'): frozenset(['officer']),
    ('POST', '/subsidies/<int:subsidy_id>/reject'): frozenset(['officer']),
    ('POST', '/verify'): ALL,
    # documents (workflows-b): a public document of the problem open for bids; uploads only by whoever owns
    # the problem, the bid or the organisation; the NDA click only by vendors
    ('GET', '/api/v1/documents/<int:document_id>'): SIGNED_IN,
    ('GET', '/api/v1/documents/<int:document_id>/content'): SIGNED_IN,
    ('GET', '/documents/<int:document_id>'): ALL,
    ('GET', '/favicon.ico'): ALL,
    ('GET', '/problems/<int:problem_id>/nda'): SIGNED_IN,
    ('POST', '/account/documents'): frozenset(['officer', 'other_sme', 'other_vendor', 'owner', 'vendor']),
    ('POST', '/api/v1/bids/<int:bid_id>/documents'): frozenset(['vendor']),
    ('POST', '/api/v1/organisations/<int:organisation_id>/documents'): frozenset(['vendor']),
    ('POST', '/api/v1/problems/<int:problem_id>/documents'): frozenset(['owner']),
    ('POST', '/bids/<int:bid_id>/documents'): frozenset(['vendor']),
    ('POST', '/problems/<int:problem_id>/documents'): frozenset(['owner']),
    ('POST', '/problems/<int:problem_id>/nda'): frozenset(['other_vendor', 'vendor']),
}
