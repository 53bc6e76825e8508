"""evidence-based evaluation: the problem's cost horizon

Revision ID: 0011
Revises: 0008

The years after delivery over which the evaluation counts the total cost of ownership (default 3).
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import marketplace.core.types


revision = '0011'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tco_horizon_years', sa.Integer(), server_default='3', nullable=False))
        batch_op.create_check_constraint('tco_horizon_years_range', 'tco_horizon_years BETWEEN 1 AND 10')


def downgrade() -> None:
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.drop_constraint('ck_problem_tco_horizon_years_range', type_='check')
        batch_op.drop_column('tco_horizon_years')
