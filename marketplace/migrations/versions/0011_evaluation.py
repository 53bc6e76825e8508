"""evidence-based evaluation: cost horizon, commitments, the abnormally-low milestone, reasoned award

Revision ID: 0011
Revises: 0010

- problem: the years after delivery over which the evaluation counts the total cost of ownership
  (default 3), the SHA-256 of the published weights recorded when bidding opens, and whether the
  opening result names the other bidders;
- vendor_evidence: confirmed and verified past projects (the platform's, never the vendor's);
- reference_confirmation: one-time links to reference customers (only the token's SHA-256 is kept);
- bid: the SHA-256 of its scored terms at submission, the abnormally-low explanation (question, due
  time, answer, state) and the reason for awarding a bid that was not the top-scored one.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import marketplace.core.types


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_TS = marketplace.core.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('vendor_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=True),
    sa.Column('provenance', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('attainment', sa.Numeric(precision=5, scale=4), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('source_key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', _TS, nullable=False),
    sa.CheckConstraint('attainment >= 0 AND attainment <= 1', name=op.f('ck_vendor_evidence_attainment_share')),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_vendor_evidence_offering_id_offering'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_vendor_evidence_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_evidence')),
    sa.UniqueConstraint('source', 'source_key', name='uq_vendor_evidence_source')
    )
    with op.batch_alter_table('vendor_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_evidence_organisation_id'), ['organisation_id'], unique=False)
    op.create_table('reference_confirmation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('ref_index', sa.Integer(), nullable=False),
    sa.Column('reference_title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('token_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('expires_at', _TS, nullable=False),
    sa.Column('used_at', _TS, nullable=True),
    sa.Column('delivered', sa.Text(), nullable=True),
    sa.Column('attainment_percent', sa.Integer(), nullable=True),
    sa.Column('created_at', _TS, nullable=False),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_reference_confirmation_offering_id_offering'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_confirmation')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_reference_confirmation_token_sha256'))
    )
    with op.batch_alter_table('reference_confirmation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_confirmation_offering_id'), ['offering_id'], unique=False)
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
    op.drop_table('reference_confirmation')
    op.drop_table('vendor_evidence')
    with op.batch_alter_table('bid', schema=None) as batch_op:
        for name in ('explained_at', 'explanation', 'explanation_due_at', 'explanation_requested_at',
                     'explanation_question', 'explanation_state', 'commitment_sha256', 'award_reason'):
            batch_op.drop_column(name)
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.drop_constraint('ck_problem_tco_horizon_years_range', type_='check')
        for name in ('opening_shows_names', 'weights_sha256', 'tco_horizon_years'):
            batch_op.drop_column(name)
