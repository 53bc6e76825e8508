"""Realistic objects in one line: ``factory.sme()``, ``factory.user(org)``.

Factories go through the services (so the same rules apply) and commit, which inside a test is a
savepoint of the test's rolled-back transaction.
"""

from __future__ import annotations

import itertools
import re

from marketplace.accounts import services as accounts
from marketplace.accounts.models import MemberRole, Organisation, User

PASSWORD = "correct-horse-battery"

_counter = itertools.count(1)

_NAMES = {
    "sme": [("한빛베이커리", "Hanbit Bakery", "C10", "busan"), ("대성염색", "Daesung Dyeing", "C13", "daegu"),
            ("동아레미콘", "Donga Ready-Mix", "C23", "chungbuk"), ("정밀오토텍", "Jeongmil Autotech", "C30", "ulsan")],
    "vendor": [("비전에이아이랩", "Vision AI Lab", "J62", "seoul"), ("예측솔루션즈", "Forecast Solutions", "J62", "gyeonggi")],
    "agency": [("한국AI진흥원", "Korea AI Promotion Agency", "O84", "sejong")],
    "cooperative": [("경남기계부품협동조합", "Gyeongnam Machine Parts Cooperative", "S94", "gyeongnam")],
}


def brn(n: int) -> str:
    """A valid business registration number derived from ``n``."""
    first = f"{(100 + n) % 1000:03d}{(81 + n) % 100:02d}{n % 10000:04d}"
    return first + str(accounts.brn_check_digit(first))


class Factory:
    def __init__(self, session):
        self.session = session

    def organisation(self, kind: str = "sme", **overrides) -> Organisation:
        n = next(_counter)
        name_ko, name_en, industry, region = _NAMES[kind][n % len(_NAMES[kind])]
        data = dict(kind=kind, name_ko=f"{name_ko} {n}", name_en=f"{name_en} {n}", brn=brn(n), region=region,
                    industry=industry, employees=45, annual_revenue_krw=8_500_000_000)
        data.update(overrides)
        org = accounts.register_organisation(self.session, accounts.OrganisationInput(**data))
        self.session.commit()
        return org

    def sme(self, **kw) -> Organisation:
        return self.organisation("sme", **kw)

    def vendor(self, **kw) -> Organisation:
        return self.organisation("vendor", **kw)

    def agency(self, **kw) -> Organisation:
        return self.organisation("agency", **kw)

    def user(self, organisation: Organisation | None = None, *, role: str = "owner", email: str | None = None,
             password: str = PASSWORD, is_admin: bool = False, locale: str = "ko", name: str = "김민수") -> User:
        if organisation is None and not is_admin:
            organisation = self.sme()
        n = next(_counter)
        slug = re.sub(r"[^a-z0-9]+", "-", (organisation.name_en if organisation else "admin").lower()).strip("-")
        user = accounts.create_user(self.session, organisation=organisation, email=email or f"user{n}@{slug}.example",
                                    name=name, password=password, role=MemberRole(role), is_admin=is_admin,
                                    locale=locale)
        self.session.commit()
        return user

    def admin(self) -> User:
        return self.user(None, is_admin=True, role="member", name="관리자")
