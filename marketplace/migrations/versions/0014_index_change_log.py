"""index change log

Revision ID: 0014
Revises: 0009

One row per change of an offering, a problem or an organisation, written in the same transaction as the change;
the shared ranking index is refreshed from it (``axbridge index refresh``) instead of polling ``updated_at``.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('index_change',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('seq'),
    sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table('index_change')
