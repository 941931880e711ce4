"""One identity per workstation: tokens, sync positions and public keys per (station,
workstation), one-time enrolment codes of their own (a station may hold several, each bound to
the workstation that uses it), station keys with a number and a validity period, and the highest
numbers the province acknowledged per workstation (a restored station continues above them).
A station enrolled before keeps its token and key as the workstation its records name (01 when
they name none).

Revision ID: s0006
Revises: s0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0006"
down_revision = "s0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workstations",
        sa.Column("station_code", sa.String(12), sa.ForeignKey("stations.code"), nullable=False),
        sa.Column("number", sa.String(2), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("acked_seq", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_push_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clock_offset_seconds", sa.Integer, nullable=True),
        sa.Column("clock_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("station_code", "number"),
    )
    op.create_table(
        "enrol_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("station_code", sa.String(12), sa.ForeignKey("stations.code"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workstation", sa.String(2), nullable=True),
    )
    op.create_table(
        "station_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("station_code", sa.String(12), sa.ForeignKey("stations.code"), nullable=False),
        sa.Column("workstation", sa.String(2), nullable=False),
        sa.Column("key_no", sa.Integer, nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False, unique=True),
        sa.Column("valid_from", sa.String(10), nullable=False),
        sa.Column("valid_until", sa.String(10), nullable=True),
        sa.Column("compromised_from", sa.String(10), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(12), nullable=True),
        sa.UniqueConstraint("station_code", "workstation", "key_no"),
    )
    op.create_table(
        "workstation_numbers",
        sa.Column("station_code", sa.String(12), nullable=False),
        sa.Column("workstation", sa.String(2), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("name", sa.String(12), nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("station_code", "workstation", "year", "name"),
    )
    op.add_column(
        "records", sa.Column("workstation", sa.String(2), nullable=False, server_default="01")
    )
    op.add_column("conflicts", sa.Column("workstation", sa.String(2), nullable=True))
    # each record's workstation is in its numbers (serial, case or notice number)
    op.execute(
        """
        UPDATE records SET workstation = split_part(
            coalesce(payload->>'serial', payload->>'case_no', payload->>'notice_no'), '-', 2)
        WHERE coalesce(payload->>'serial', payload->>'case_no', payload->>'notice_no') ~ '-[0-9]{2}-'
        """
    )
    # an enrolled station's one PC: the workstation most of its records name, else 01
    op.execute(
        """
        INSERT INTO workstations (station_code, number, token_hash, acked_seq, enrolled_at,
                                  last_push_at, clock_offset_seconds, clock_seen_at)
        SELECT s.code,
               coalesce((SELECT r.workstation FROM records r WHERE r.station_code = s.code
                         GROUP BY r.workstation ORDER BY count(*) DESC LIMIT 1), '01'),
               s.token_hash, s.acked_seq, s.enrolled_at, s.last_push_at,
               s.clock_offset_seconds, s.clock_seen_at
        FROM stations s WHERE s.token_hash IS NOT NULL OR s.public_key IS NOT NULL
        """
    )
    op.execute(
        """
        INSERT INTO station_keys (station_code, workstation, key_no, public_key, valid_from)
        SELECT s.code, w.number, 1, s.public_key,
               to_char(coalesce(s.enrolled_at, s.created_at) AT TIME ZONE 'Asia/Shanghai',
                       'YYYY-MM-DD')
        FROM stations s JOIN workstations w ON w.station_code = s.code
        WHERE s.public_key IS NOT NULL
        """
    )
    op.execute(
        """
        INSERT INTO enrol_codes (code_hash, station_code, expires_at)
        SELECT enrol_code_hash, code, coalesce(enrol_expires_at, now() + interval '7 days')
        FROM stations WHERE enrol_code_hash IS NOT NULL
        """
    )
    op.execute(
        """
        INSERT INTO workstation_numbers (station_code, workstation, year, name, value)
        SELECT station_code, workstation, year, name, max(value) FROM (
            SELECT station_code, workstation,
                   split_part(payload->>'serial', '-', 3)::int AS year, 'certificate' AS name,
                   split_part(payload->>'serial', '-', 4)::bigint AS value
            FROM records WHERE topic = 'certificate'
            UNION ALL
            SELECT station_code, workstation, split_part(payload->>'case_no', '-', 3)::int,
                   'case', substr(split_part(payload->>'case_no', '-', 4), 2)::bigint
            FROM records WHERE topic = 'case'
            UNION ALL
            SELECT station_code, workstation, split_part(payload->>'notice_no', '-', 3)::int,
                   'notice', substr(split_part(payload->>'notice_no', '-', 4), 2)::bigint
            FROM records WHERE topic = 'notice'
        ) numbers GROUP BY station_code, workstation, year, name
        """
    )
    op.drop_index("ix_records_station_seq", table_name="records")
    op.create_index(
        "ix_records_workstation_seq",
        "records",
        ["station_code", "workstation", "seq"],
        unique=True,
    )
    for column in (
        "enrol_code_hash",
        "enrol_expires_at",
        "token_hash",
        "public_key",
        "acked_seq",
        "enrolled_at",
        "last_push_at",
        "clock_offset_seconds",
        "clock_seen_at",
    ):
        op.drop_column("stations", column)


def downgrade() -> None:
    raise NotImplementedError("certdesk-server does not go back from per-workstation identities")
