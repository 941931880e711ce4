"""Offline-first sync with the provincial server.

The station never waits for the province: every change is already in the outbox (written in the
change's own transaction). A round pushes the outbox oldest first in batches — each row carries
its UUID, the server applies it once and acknowledges with a cursor; acknowledged rows are
marked, never-acknowledged rows stay and go again (an identical resend is only acknowledged) —
then pulls the province's feed: other stations' public keys and revoked keys (so QR codes of the
whole province verify offline), voids, signed catalog versions (checked against the province key
pinned at enrolment; a bad signature is refused and reported, the old catalog stays) and the
holiday table. Transient failures are retried with exponential back-off and full jitter.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.context import Context
from app.errors import CertdeskError, InvalidInput

ENROLMENT_FILE = Path("keys") / "province.json"
BATCH = 500
TIMEOUT_S = 15.0


class SyncUnavailable(CertdeskError):
    """The province could not be reached (or kept failing); nothing is lost, rows wait."""

    code = "offline"
    exit_code = 4

    def __init__(self, message: str, pending: int) -> None:
        super().__init__(message)
        self.pending = pending


class NotEnrolled(CertdeskError):
    code = "not_enrolled"
    exit_code = 2


@dataclass(frozen=True)
class Enrolment:
    server: str
    station_code: str
    token: str
    province_public_key: str
    enrolled_at: str


def enrolment_path(data_dir: Path) -> Path:
    return data_dir / ENROLMENT_FILE


def load_enrolment(data_dir: Path) -> Enrolment | None:
    path = enrolment_path(data_dir)
    if not path.exists():
        return None
    return Enrolment(**json.loads(path.read_text(encoding="utf-8")))


def _save_enrolment(data_dir: Path, enrolment: Enrolment) -> None:
    """Write the token file owner-readable only (0600), atomically."""
    path = enrolment_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".province-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)
        json.dump(enrolment.__dict__, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _client(server: str, transport: Any = None) -> Any:
    import httpx

    return httpx.Client(base_url=server.rstrip("/"), timeout=TIMEOUT_S, transport=transport)


def _message(response: Any) -> str:
    try:
        return str(response.json().get("message") or response.text[:200])
    except ValueError:
        return f"HTTP {response.status_code}"


def enrol(ctx: Context, *, server: str, code: str, transport: Any = None) -> Enrolment:
    """Register this station's public key with the province using a one-time enrolment code;
    keep the station token and pin the province's public key."""
    import httpx

    from app.services.station import station_info

    info = station_info(ctx)
    if info is None:
        raise InvalidInput("本机尚未设置派出所(certdesk init)", field="station")
    body = {"enrol_code": code, "station_code": info.code, "public_key": info.public_key}
    try:
        with _client(server, transport) as client:
            response = client.post("/api/v1/enrol", json=body)
    except httpx.HTTPError as error:
        raise SyncUnavailable(f"无法连接省级服务器 {server}：{error}", 0) from error
    if response.status_code != 200:
        raise InvalidInput(f"登记被拒绝：{_message(response)}", field="code")
    data = response.json()
    enrolment = Enrolment(
        server=server.rstrip("/"),
        station_code=data["station_code"],
        token=data["token"],
        province_public_key=data["province_public_key"],
        enrolled_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    _save_enrolment(ctx.data_dir, enrolment)
    return enrolment


@dataclass
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    pending: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # feed items refused (bad signature …)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "pending": self.pending,
            "conflicts": self.conflicts,
            "refused": self.refused,
        }


class _Transient(Exception):
    pass


Sleep = Callable[[float], None]


def _retrying(
    action: Callable[[], Any], *, attempts: int, sleep: Sleep, base: float = 0.2, cap: float = 5.0
) -> Any:
    """Run ``action``; on a transient failure wait (exponential back-off, full jitter) and retry."""
    for attempt in range(attempts):
        try:
            return action()
        except _Transient:
            if attempt == attempts - 1:
                raise
            sleep(random.uniform(0, min(cap, base * 2**attempt)))
    raise AssertionError("unreachable")


def sync(
    ctx: Context,
    *,
    server: str | None = None,
    batch: int = BATCH,
    attempts: int = 5,
    transport: Any = None,
    sleep: Sleep = time.sleep,
) -> SyncResult:
    """One round: push everything pending, then pull the feed. Raises ``SyncUnavailable`` (with
    the pending count) when the province cannot be reached."""
    enrolment = load_enrolment(ctx.data_dir)
    if enrolment is None:
        raise NotEnrolled("本站尚未登记到省级服务器：certdesk enrol --server URL --code 登记码")
    result = SyncResult()
    with _client(server or enrolment.server, transport) as client:
        client.headers["Authorization"] = f"Bearer {enrolment.token}"
        try:
            _push(ctx, client, enrolment, result, batch, attempts, sleep)
            _pull(ctx, client, enrolment, result, attempts, sleep)
        except _Transient as error:
            pending = pending_count(ctx)
            _set_state(ctx, last_error=str(error))
            raise SyncUnavailable(
                f"省级服务器暂时无法连接：{error}；待上报 {pending} 条", pending
            ) from None
    result.pending = pending_count(ctx)
    _set_state(ctx, last_error="", last_round=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    return result


def _call(client: Any, method: str, url: str, **kwargs: Any) -> Any:
    import httpx

    try:
        response = client.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        raise _Transient(f"{type(error).__name__}: {error}") from error
    if response.status_code in (429, 502, 503, 504) or response.status_code >= 500:
        raise _Transient(f"HTTP {response.status_code}")
    if response.status_code != 200:
        raise CertdeskError(f"省级服务器拒绝：{_message(response)}(HTTP {response.status_code})")
    try:
        return response.json()
    except ValueError as error:  # a response cut short on the way
        raise _Transient("应答不完整") from error


def _push(
    ctx: Context,
    client: Any,
    enrolment: Enrolment,
    result: SyncResult,
    batch: int,
    attempts: int,
    sleep: Sleep,
) -> None:
    from sqlalchemy import select, update

    from app.records.db.models import OutboxItem

    while True:
        with ctx.db.reading() as session:
            rows = session.scalars(
                select(OutboxItem)
                .where(OutboxItem.acked_at.is_(None))
                .order_by(OutboxItem.seq)
                .limit(batch)
            ).all()
            records: list[dict[str, Any]] = [
                {"id": r.id, "seq": r.seq, "topic": r.topic, "payload": r.payload} for r in rows
            ]
        if not records:
            return
        body = {"station": enrolment.station_code, "records": records}
        seqs = [r["seq"] for r in records]
        try:
            answer = _retrying(
                lambda body=body: _call(client, "POST", "/api/v1/push", json=body),  # type: ignore[misc]
                attempts=attempts,
                sleep=sleep,
            )
        except (_Transient, CertdeskError) as error:
            _note_failure(ctx, seqs, str(error))
            raise
        acked = int(answer["acked_through"])
        conflicts = {c["id"]: c["reason"] for c in answer.get("conflicts", [])}
        now = dt.datetime.now(dt.UTC)
        with ctx.db.transaction() as session:
            session.execute(
                update(OutboxItem)
                .where(
                    OutboxItem.seq.in_([s for s in seqs if s <= acked]),
                    OutboxItem.acked_at.is_(None),
                )
                .values(acked_at=now, last_error=None)
            )
            for item_id, reason in conflicts.items():
                session.execute(
                    update(OutboxItem)
                    .where(OutboxItem.id == item_id)
                    .values(last_error=f"冲突：{reason}")
                )
        result.pushed += int(answer.get("applied", 0)) + int(answer.get("duplicates", 0))
        result.conflicts += [{"id": k, "reason": v} for k, v in conflicts.items()]
        if acked < seqs[-1]:  # the server stopped early: go again from what it has
            continue


def _note_failure(ctx: Context, seqs: list[int], error: str) -> None:
    from sqlalchemy import update

    from app.records.db.models import OutboxItem

    with ctx.db.transaction() as session:
        session.execute(
            update(OutboxItem)
            .where(OutboxItem.seq.in_(seqs))
            .values(attempts=OutboxItem.attempts + 1, last_error=error[:500])
        )


def _pull(
    ctx: Context, client: Any, enrolment: Enrolment, result: SyncResult, attempts: int, sleep: Sleep
) -> None:
    cursor = int(_state(ctx, "feed_cursor") or 0)
    while True:
        page = _retrying(
            lambda cursor=cursor: _call(  # type: ignore[misc]
                client, "GET", "/api/v1/pull", params={"after": cursor}
            ),
            attempts=attempts,
            sleep=sleep,
        )
        _apply_feed(ctx, enrolment, page["events"], result)
        cursor = int(page["cursor"])
        _set_state(ctx, feed_cursor=str(cursor))
        result.pulled += len(page["events"])
        if not page.get("more"):
            return


def _apply_feed(
    ctx: Context, enrolment: Enrolment, events: list[dict[str, Any]], result: SyncResult
) -> None:
    from sqlalchemy.dialects.sqlite import insert

    from app.records.db.models import KnownKey, KnownVoid

    with ctx.db.transaction() as session:
        for event in events:
            body, kind = event["body"], event["type"]
            if kind == "station_key":
                session.execute(
                    insert(KnownKey)
                    .values(
                        station_code=body["station"], public_key=body["public_key"], revoked=False
                    )
                    .on_conflict_do_nothing()
                )
            elif kind == "key_revoked":
                session.execute(
                    insert(KnownKey)
                    .values(
                        station_code=body["station"], public_key=body["public_key"], revoked=True
                    )
                    .on_conflict_do_update(
                        index_elements=["station_code", "public_key"], set_={"revoked": True}
                    )
                )
            elif kind == "void":
                session.execute(
                    insert(KnownVoid)
                    .values(serial=body["serial"], station_code=body["station"])
                    .on_conflict_do_nothing()
                )
    for event in events:
        if event["type"] == "catalog":
            refused = _install_catalog(ctx, enrolment, event["body"])
            if refused:
                result.refused.append(refused)
        elif event["type"] == "holidays":
            _install_holidays(ctx, event["body"])


def _install_catalog(ctx: Context, enrolment: Enrolment, body: dict[str, Any]) -> str | None:
    """Install a pulled catalog version if the province signed it; else refuse and say why."""
    from app.policy.catalog import CatalogStore
    from app.protocol.signing import verify_signature

    raw = str(body["text"]).encode("utf-8")
    name = f"目录 {body.get('catalog_id')} 版本 {body.get('version')}"
    if not verify_signature(enrolment.province_public_key, raw, str(body.get("signature", ""))):
        message = f"{name} 的省级签名不对，已拒绝，继续使用原目录"
        _set_state(ctx, catalog_refused=message)
        return message
    with tempfile.NamedTemporaryFile("wb", suffix=".yaml", delete=False) as handle:
        handle.write(raw)
    try:
        CatalogStore(ctx.data_dir).replace(Path(handle.name))
    except CertdeskError as error:
        message = f"{name} 未通过校验，已拒绝：{error.message}"
        _set_state(ctx, catalog_refused=message)
        return message
    finally:
        os.unlink(handle.name)
    ctx.reload_catalog()
    _set_state(ctx, catalog_version=f"{body.get('catalog_id')} {body.get('version')}")
    return None


def _install_holidays(ctx: Context, body: dict[str, Any]) -> None:
    from app.policy.workdays import HolidayTable

    HolidayTable.from_mapping(body)  # refuses a malformed table before it is written
    target = ctx.data_dir / "holidays.json"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    tmp.replace(target)


# ---------------------------------------------------------------------- state and the queue


def _state(ctx: Context, name: str) -> str | None:
    from app.records.db.models import SyncState

    with ctx.db.reading() as session:
        row = session.get(SyncState, name)
        return row.value if row else None


def _set_state(ctx: Context, **values: str) -> None:
    from app.records.db.models import SyncState

    with ctx.db.transaction() as session:
        for name, value in values.items():
            session.merge(SyncState(name=name, value=value))


def pending_count(ctx: Context) -> int:
    from app.records import outbox

    with ctx.db.reading() as session:
        return outbox.pending_count(session)


@dataclass(frozen=True)
class PendingItem:
    seq: int
    topic: str
    created_at: str
    attempts: int
    last_error: str | None


def pending_items(ctx: Context, *, limit: int = 200) -> list[PendingItem]:
    """The oldest items waiting for the province, with their last error (for the GUI's list)."""
    from sqlalchemy import select

    from app.records.db.models import OutboxItem

    with ctx.db.reading() as session:
        rows = session.scalars(
            select(OutboxItem)
            .where(OutboxItem.acked_at.is_(None))
            .order_by(OutboxItem.seq)
            .limit(limit)
        ).all()
        return [
            PendingItem(
                r.seq, r.topic, r.created_at.isoformat(timespec="seconds"), r.attempts, r.last_error
            )
            for r in rows
        ]


def known_keys(ctx: Context) -> tuple[dict[str, list[str]], set[str]]:
    """Station public keys for offline QR checks (this station's and those pulled), and the
    serials known to be void."""
    from sqlalchemy import select

    from app.records.db.models import KnownKey, KnownVoid, Station

    keys: dict[str, list[str]] = {}
    with ctx.db.reading() as session:
        for station in session.scalars(select(Station)):
            keys.setdefault(station.code, []).append(station.public_key)
        for row in session.scalars(select(KnownKey).where(KnownKey.revoked.is_(False))):
            if row.public_key not in keys.setdefault(row.station_code, []):
                keys[row.station_code].append(row.public_key)
        voids = set(session.scalars(select(KnownVoid.serial)))
    return keys, voids


def verify_online(server: str, serial: str, *, transport: Any = None) -> dict[str, Any]:
    """Ask the province about a serial: valid | void | unknown (kind, date, station only)."""
    import httpx

    try:
        with _client(server, transport) as client:
            response = client.get(f"/api/v1/verify/{serial}")
    except httpx.HTTPError as error:
        raise SyncUnavailable(f"无法连接省级服务器 {server}：{error}", 0) from error
    if response.status_code != 200:
        raise InvalidInput(f"核验被拒绝：{_message(response)}", field="serial")
    result: dict[str, Any] = response.json()
    return result


def province_figures(
    ctx: Context, *, start: str, end: str, transport: Any = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The province's statistics (in the station's shape) and its oversight flags for a period,
    asked with this station's token. Raises ``SyncUnavailable`` when the province is out of reach."""
    import httpx

    enrolment = load_enrolment(ctx.data_dir)
    if enrolment is None:
        raise NotEnrolled("本站尚未登记到省级服务器，无法查看全省数据")
    params = {"from": start, "to": end}
    try:
        with _client(enrolment.server, transport) as client:
            client.headers["Authorization"] = f"Bearer {enrolment.token}"
            stats = client.get("/api/v1/stats", params=params)
            flags = client.get("/api/v1/oversight", params=params)
    except httpx.HTTPError as error:
        raise SyncUnavailable(f"省级服务器暂时无法连接：{error}", 0) from error
    for response in (stats, flags):
        if response.status_code != 200:
            raise CertdeskError(f"省级服务器拒绝：{_message(response)}")
    figures: dict[str, Any] = stats.json()
    raised: list[dict[str, Any]] = flags.json()
    return figures, raised
