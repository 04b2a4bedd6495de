"""accounts: the sign-in throttle reserves each password check atomically, per user name and client address

``sign_in_throttles`` keeps, per (kind, client address, user name), the password checks reserved and not yet
answered by a success, when the counting window began and the last reservation. Sign-in reserves a check in its
own committed transaction before verifying the password, so no concurrency lets more checks through than the
limit, on SQLite and PostgreSQL, across processes. ``login_attempts`` stays as the record of attempts; it no
longer decides the throttle (it counted per user name from anyone, so a stranger could lock a real user out).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttles",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("checks", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "client", "username", name=op.f("pk_sign_in_throttles")),
    )


def downgrade() -> None:
    op.drop_table("sign_in_throttles")
