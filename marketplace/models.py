"""Every table, imported in one place so that the metadata (and Alembic) sees them all."""

from sqlmodel import SQLModel

from marketplace.accounts import models as accounts  # noqa: F401
from marketplace.audit import models as audit  # noqa: F401
from marketplace.agreements import models as agreements  # noqa: F401
from marketplace.bids import models as bids  # noqa: F401
from marketplace.discovery import models as discovery  # noqa: F401
from marketplace.notifications import models as notifications  # noqa: F401
from marketplace.offerings import models as offerings  # noqa: F401
from marketplace.outcomes import models as outcomes  # noqa: F401
from marketplace.problems import models as problems  # noqa: F401
from marketplace.programs import models as programs  # noqa: F401

metadata = SQLModel.metadata
