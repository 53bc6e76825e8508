"""evidence-based evaluation: cost horizon, commitments, the abnormally-low milestone, reasoned award

Revision ID: 0011
Revises: 0008

- problem: the years after delivery over which the evaluation counts the total cost of ownership
  (default 3), the SHA-256 of the published weights recorded when bidding opens, and whether the
  opening result names the other bidders;
- bid: the SHA-256 of its scored terms at submission, the abnormally-low explanation (question, due
  time, answer, state) and the reason for awarding a bid that was not the top-scored one.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import marketplace.core.types


revision = '0011'
down_revision = '0008'
branch_labels = None
depends_on = None

_TS = marketplace.core.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tco_horizon_years', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('weights_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('opening_shows_names', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_check_constraint('tco_horizon_years_range', 'tco_horizon_years BETWEEN 1 AND 10')
    with op.batch_alter_table('bid', schema=None) as batch_op:
        batch_op.add_column(sa.Column('award_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.add_column(sa.Column('commitment_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('explanation_state', sa.Enum(
            'requested', 'answered', 'accepted', 'rejected', name='explanation_state', native_enum=False,
            create_constraint=True, length=17), nullable=True))
        batch_op.add_column(sa.Column('explanation_question', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('explanation_requested_at', _TS, nullable=True))
        batch_op.add_column(sa.Column('explanation_due_at', _TS, nullable=True))
        batch_op.add_column(sa.Column('explanation', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('explained_at', _TS, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('bid', schema=None) as batch_op:
        for name in ('explained_at', 'explanation', 'explanation_due_at', 'explanation_requested_at',
                     'explanation_question', 'explanation_state', 'commitment_sha256', 'award_reason'):
            batch_op.drop_column(name)
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.drop_constraint('ck_problem_tco_horizon_years_range', type_='check')
        for name in ('opening_shows_names', 'weights_sha256', 'tco_horizon_years'):
            batch_op.drop_column(name)
