"""Load the demo world through the same services as the pages. Idempotent: a second run changes nothing."""

from __future__ import annotations

import json
import logging
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from sqlmodel import select

from marketplace.accounts import password_policy
from marketplace.accounts import services as accounts
from marketplace.accounts.models import MemberRole, Organisation, User
from marketplace.accounts.schemas import OrganisationProfile, UserCreate
from marketplace.core.errors import DomainError
from marketplace.core.schemas import parse
from marketplace.core.types import utcnow
from marketplace.database import session_scope

logger = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
#: Every demo account uses this password (development only; README lists the logins).
DEMO_PASSWORD = password_policy.DEMO_PASSWORD
ADMIN_EMAIL = "admin@axbridge.example"


class SeedError(RuntimeError):
    """The demo data is inconsistent; the message names the record."""


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.existing))
        parts = [f"{k}: {self.created[k]} created, {self.existing[k]} already there" for k in kinds]
        return "demo world loaded — " + "; ".join(parts)


def read(name: str) -> list[dict]:
    path = DATA / name
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def load_demo_world(app: Flask) -> SeedReport:
    report = SeedReport()
    with app.app_context(), session_scope(app) as session:
        orgs = _load_organisations(session, report)
        _load_cooperative_members(session, orgs)
        _load_admin(session, report)
        _load_marketplace(session, orgs, report)
    logger.info(report.summary())
    return report


def _load_organisations(session, report: SeedReport) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for record in read("organisations.json"):
        key = record["key"]
        try:
            brn = accounts.normalise_brn(record["brn"])
            org = session.exec(select(Organisation).where(Organisation.brn == brn)).one_or_none()
            if org is None:
                org = accounts.register_organisation(session, parse(OrganisationProfile, dict(
                    kind=record["kind"], name_ko=record["name_ko"], name_en=record["name_en"], brn=brn,
                    region=record["region"], industry=record["industry"], employees=record["employees"],
                    annual_revenue_krw=record["annual_revenue_krw"],
                    representative=record.get("representative_ko"), address=record.get("address_ko"),
                    website=record.get("website"), description=record.get("description_ko"))))
                if record.get("verified", True):
                    org.verified_at = utcnow()
                report.created["organisations"] += 1
            else:
                report.existing["organisations"] += 1
            orgs[key] = org
            for person in record.get("users", []):
                _load_user(session, org, person, report)
        except DomainError as exc:
            raise SeedError(f"organisation {key}: {exc.message} {exc.fields}") from exc
    return orgs


def demo_account(data: dict) -> UserCreate:
    """A demo account with the public demo password. The policy refuses that password (it is public), so the
    account is checked with a strong stand-in and given the demo password on purpose."""
    account = parse(UserCreate, {**data, "password": secrets.token_urlsafe(24)})
    return account.model_copy(update={"password": DEMO_PASSWORD})


def _load_user(session, org: Organisation, person: dict, report: SeedReport) -> User:
    user = accounts.get_user_by_email(session, person["email"])
    if user is not None:
        report.existing["users"] += 1
        return user
    report.created["users"] += 1
    account = demo_account({"email": person["email"], "name": person["name_ko"], "locale": person.get("locale", "ko")})
    return accounts.create_user(session, account, organisation=org, role=MemberRole(person.get("role", "member")))


def _load_cooperative_members(session, orgs: dict[str, Organisation]) -> None:
    for record in read("organisations.json"):
        for member_key in record.get("members", []):
            if member_key not in orgs:
                raise SeedError(f"cooperative {record['key']}: unknown member {member_key}")
            accounts.add_cooperative_member(session, cooperative=orgs[record["key"]], member=orgs[member_key])


def _load_marketplace(session, orgs: dict[str, Organisation], report: SeedReport) -> None:
    from seed.bids import load_bids
    from seed.problems import load_problems, load_questions
    from seed.programs import apply_programs, load_programs

    try:
        from seed.offerings import load_offerings
    except ImportError:  # the offerings loader arrives with the offerings area
        load_offerings = None
    try:
        if load_offerings is not None:
            load_offerings(session, orgs, report)
        programs = load_programs(session, orgs, report)
        problems = load_problems(session, orgs, read("problems.json"), report)
        load_questions(session, orgs, problems, read("questions.json"), report)
        apply_programs(session, orgs, problems, programs, report)
        load_bids(session, orgs, problems, DATA / "bids.json", report)
        from seed.agreements import load_agreements

        load_agreements(session, orgs, problems, DATA / "agreements.json", report, password=DEMO_PASSWORD)
    except DomainError as exc:
        raise SeedError(f"{exc.message} {exc.fields}") from exc


def _load_admin(session, report: SeedReport) -> None:
    if accounts.get_user_by_email(session, ADMIN_EMAIL):
        report.existing["users"] += 1
        return
    account = demo_account({"email": ADMIN_EMAIL, "name": "플랫폼 관리자"})
    accounts.create_user(session, account, organisation=None, role=MemberRole.MEMBER, is_admin=True)
    report.created["users"] += 1
