"""security: who verified an organisation; opaque notification ids

Revision ID: 0010
Revises: 0012

``organisation.verified_by_id``: the administrator who verified it (no foreign key, see the model).
Organisations verified before this revision keep their date and name no one.
``notification.public_id``: a random id for the API and pages (sequential ids counted sealed bids);
existing notifications get one each.
"""
import uuid

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_by_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    bind = op.get_bind()
    for (row_id,) in bind.execute(sa.text("SELECT id FROM notification")).all():
        bind.execute(sa.text("UPDATE notification SET public_id = :p WHERE id = :i"),
                     {"p": uuid.uuid4().hex, "i": row_id})
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.alter_column('public_id', existing_type=sqlmodel.sql.sqltypes.AutoString(length=32),
                              nullable=False)
        batch_op.create_index(batch_op.f('ix_notification_public_id'), ['public_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_public_id'))
        batch_op.drop_column('public_id')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('verified_by_id')
