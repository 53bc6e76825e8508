"""offering embeddings

Revision ID: 0017
Revises: 0013

The semantic channel's vector of each offering (float32 bytes) and the model that made it, computed when the
offering is written; rows from before this revision get theirs from the index refresh job.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0017'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('offering') as batch_op:
        batch_op.add_column(sa.Column('embedding', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('embedding_model', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('offering') as batch_op:
        batch_op.drop_column('embedding_model')
        batch_op.drop_column('embedding')
