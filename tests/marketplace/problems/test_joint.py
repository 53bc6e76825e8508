"""A cooperative posts one problem for its member SMEs and splits the SME share among them."""

from decimal import Decimal

import pytest

from marketplace.accounts import services as accounts
from marketplace.core.errors import ValidationFailed
from marketplace.problems import services


def cooperative_with_members(factory, db_session, n=3):
    coop = factory.organisation("cooperative")
    members = [factory.sme(region="gyeongnam", industry="C29") for _ in range(n)]
    for member in members:
        accounts.add_cooperative_member(db_session, cooperative=coop, member=member)
    db_session.commit()
    return coop, members


def test_members_share_evenly_until_the_cooperative_sets_shares(factory, db_session):
    coop, members = cooperative_with_members(factory, db_session)
    owner = factory.user(coop)
    problem = factory.problem(owner)
    parties = services.joint_parties(db_session, problem)
    assert [p.organisation.id for p in parties] == [m.id for m in members]
    assert sum(p.share_percent for p in parties) == 100
    assert [p.share_percent for p in parties] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    services.set_joint_shares(db_session, user=owner, problem=problem,
                              shares={members[0].id: 50, members[1].id: 30, members[2].id: 20})
    assert [p.share_percent for p in services.joint_parties(db_session, problem)] == [50, 30, 20]


def test_shares_must_cover_every_member_and_sum_to_100(factory, db_session):
    coop, members = cooperative_with_members(factory, db_session)
    owner = factory.user(coop)
    problem = factory.problem(owner)
    with pytest.raises(ValidationFailed) as info:
        services.set_joint_shares(db_session, user=owner, problem=problem,
                                  shares={members[0].id: 50, members[1].id: 30, members[2].id: 10})
    assert "90" in info.value.fields["shares"]
    outsider = factory.sme()
    with pytest.raises(ValidationFailed) as info:
        services.set_joint_shares(db_session, user=owner, problem=problem,
                                  shares={members[0].id: 50, members[1].id: 50, outsider.id: 0})
    assert any(k.startswith("shares.") for k in info.value.fields)
    assert [p.share_percent for p in services.joint_parties(db_session, problem)][0] == Decimal("33.34")


def test_a_single_sme_problem_has_no_joint_parties(factory, db_session):
    assert services.joint_parties(db_session, factory.problem()) == []
