"""The province's exchange desk driven directly (FastAPI's test client, the real PostgreSQL):
stations and their keys written into the database, so that a test can push answers a real station
would never send — signed by the right key, but wrong in every other way."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from pathlib import Path
from typing import Any

import psycopg
from fastapi.testclient import TestClient

from app.policy.identity import check_character
from app.protocol import crypto
from app.protocol.models import Inquiry, inquiry_signed_bytes
from server.api import create_app
from server.service import digest
from server.settings import Settings

STATION, OTHER = "220102001", "220581001"
PASSWORD = "court-pass-2026"


def idn(region="220102", born="19800315", serial="002"):
    f = region + born + serial
    return f + check_character(f)


SUBJECT_ID = idn()
CANCEL = "jl_ex_hukou_cancellation_info"


class H:
    def __init__(self, database_url: str, province_key: Path):
        self.url = database_url
        self.pg = database_url.replace("+psycopg", "")
        self.app = create_app(
            Settings(
                database_url=database_url, province_key=province_key, public_url="http://testserver"
            )
        )
        self.c = TestClient(self.app)
        self.keys: dict[tuple[str, str], Any] = {}
        self.tokens: dict[tuple[str, str], str] = {}
        self.seq: dict[tuple[str, str], int] = {}
        from server.sealing import ensure_data_key

        self.data_key = ensure_data_key(province_key.with_name("province-data.key"))

    def sql(self, q, args=()):
        with psycopg.connect(self.pg, autocommit=True) as c:
            cur = c.execute(q, args)
            try:
                return cur.fetchall()
            except psycopg.ProgrammingError:
                return None

    def station(self, code, name, ws="01", valid_from="2000-01-01"):
        if not self.sql("select 1 from stations where code=%s", (code,)):
            self.sql("insert into stations(code,name) values (%s,%s)", (code, name))
        token = secrets.token_urlsafe(32)
        self.sql(
            "insert into workstations(station_code,number,token_hash,acked_seq) values (%s,%s,%s,0)",
            (code, ws, digest(token)),
        )
        key = crypto.new_signing_key()
        self.sql(
            "insert into station_keys(station_code,workstation,key_no,public_key,valid_from) values (%s,%s,1,%s,%s)",
            (code, ws, crypto.public_bytes(key).hex(), valid_from),
        )
        self.keys[(code, ws)] = key
        self.tokens[(code, ws)] = token
        self.seq[(code, ws)] = 0

    def partner(self, login, sector="court", unit="长春市南关区人民法院"):
        from sqlalchemy.orm import Session

        from server import inquiries

        with Session(self.app.state.engine) as s, s.begin():
            inquiries.add_partner(s, name=login, unit=unit, sector=sector, password=PASSWORD)
        r = self.c.post("/api/v2/partner/login", json={"name": login, "password": PASSWORD})
        assert r.status_code == 200, r.text
        auth = {"Authorization": "Bearer " + r.json()["token"]}
        changed = self.c.post(  # (its own password first: nothing else is allowed before)
            "/api/v2/partner/password",
            json={"old": PASSWORD, "new": PASSWORD + "-own"},
            headers=auth,
        )
        assert changed.status_code == 200, changed.text
        return auth

    def ask(self, auth, **over):
        body = {
            "kind_id": CANCEL,
            "subject_name": "王丽",
            "subject_id": SUBJECT_ID,
            "legal_basis": "《中华人民共和国民事诉讼法》第六十七条",
            "partner_case_no": "(2026)吉0102民初1234号",
            "station": STATION,
        }
        body.update(over)
        r = self.c.post("/api/v2/partner/inquiries", json=body, headers=auth)
        assert r.status_code == 200, r.text
        return r.json()

    def fetch(self, code, ws="01"):
        r = self.c.get(
            "/api/v2/inquiries", headers={"Authorization": "Bearer " + self.tokens[(code, ws)]}
        )
        return r

    def answer_item(
        self,
        inquiry: dict,
        code,
        ws="01",
        *,
        status="answered",
        answer=None,
        reason="",
        answered_at=None,
        officer="220001",
        officer_name="张三",
        sign_answer=None,
        sign_status=None,
        key=None,
    ):
        inq = Inquiry.model_validate(inquiry)
        answer = (
            answer
            if answer is not None
            else {
                "found": "查有此人",
                "cancelled": "已注销",
                "date": "2026-01-02",
                "reason": "死亡",
            }
        )
        answered_at = (answered_at or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        data = inquiry_signed_bytes(
            inq,
            workstation=ws,
            status=sign_status or status,
            answer=sign_answer if sign_answer is not None else answer,
            reason=reason,
            answered_at=answered_at,
            officer=officer,
            officer_name=officer_name,
        )
        sig = crypto.sign(key or self.keys[(code, ws)], data).hex()
        return {
            "topic": "inquiry_answer",
            "id": str(uuid.uuid4()),
            "inquiry_id": inq.id,
            "status": status,
            "answer": answer,
            "reason": reason,
            "answered_at": answered_at.isoformat(),
            "officer": officer,
            "officer_name": officer_name,
            "signature": sig,
        }

    def push(self, code, items, ws="01"):
        recs = []
        for it in items:
            self.seq[(code, ws)] += 1
            recs.append({"id": str(uuid.uuid4()), "seq": self.seq[(code, ws)], "item": it})
        r = self.c.post(
            "/api/v2/push",
            json={"station": code, "workstation": ws, "records": recs},
            headers={"Authorization": "Bearer " + self.tokens[(code, ws)]},
        )
        return r
