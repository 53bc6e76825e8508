import pytest

from tests.marketplace.agreements.conftest import AgreementKit, fast_pdf  # noqa: F401


@pytest.fixture
def kit(db_session, factory) -> AgreementKit:
    return AgreementKit(db_session, factory)
