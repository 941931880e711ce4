"""An enrolment code may be issued for one workstation number (to replace that workstation's PC);
a code issued without one enrols only a workstation not enrolled now.

Revision ID: s0010
Revises: s0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0010"
down_revision = "s0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("enrol_codes", sa.Column("for_workstation", sa.String(2), nullable=True))


def downgrade() -> None:
    op.drop_column("enrol_codes", "for_workstation")
