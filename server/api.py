"""The provincial server's HTTP API (FastAPI). OpenAPI at /openapi.json, docs at /docs.

Every refusal is JSON ``{"error": code, "message": 中文说明}`` with the right 4xx; nothing is
stored by a refused request (each request is one transaction)."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import __version__
from app.protocol.models import (
    API,
    SERIAL_PATTERN,
    AnchorAnswer,
    AnchorRequest,
    EnrolAnswer,
    EnrolRequest,
    LoginAnswer,
    LoginRequest,
    OversightFlags,
    Problem,
    PullPage,
    PushAnswer,
    PushBatch,
    QrVerifyAnswer,
    QrVerifyRequest,
    ReportedDemands,
    Statistics,
    VerifyAnswer,
    WorkstationState,
)
from app.protocol.status import VerifyStatus
from server import ratelimit, service, verification
from server.db import make_engine, plain_url, sessions
from server.keys import ensure_key, public_hex
from server.settings import Settings


class BodyLimit:
    """Refuse a body larger than ``limit`` bytes (413) before it is parsed or stored."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _too_large(self.limit, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(self.limit, send)


class _TooLarge(Exception):
    pass


async def _too_large(limit: int, send: Send) -> None:
    response = JSONResponse(
        {"error": "too_large", "message": f"请求过大：不得超过 {limit} 字节"}, status_code=413
    )
    await response({"type": "http"}, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


def client_address(request: Request, trusted: frozenset[str]) -> str:
    """Who asks, for the rate limit: the connecting address, or — only when that is one of our
    own reverse proxies (``CERTDESK_TRUSTED_PROXIES``) — the nearest address in
    ``X-Forwarded-For`` that is not one of them. A client cannot name itself by sending the
    header. An IPv6 client is its /64 (one subscriber's network: a host picks any address in it
    at will)."""
    peer = request.client.host if request.client else "-"
    if peer not in trusted:
        return _client_key(peer)
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop in trusted:
            continue
        try:
            return _client_key(str(ipaddress.ip_address(hop)))
        except ValueError:
            return _client_key(peer)  # a header we cannot read: the proxy answers for it
    return _client_key(peer)


def _client_key(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # ::ffff:a.b.c.d is the IPv4 client a.b.c.d
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def too_many() -> JSONResponse:
    return JSONResponse(
        {"error": "rate_limited", "message": "核验请求过于频繁，请稍后再试"},
        status_code=429,
        headers={"Retry-After": "1"},
    )


def bearer(authorization: Annotated[str | None, Header()] = None) -> str | None:
    """The station token from ``Authorization: Bearer …`` (checked by the service)."""
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


Token = Annotated[str | None, Depends(bearer)]
StationParam = Annotated[str | None, Query(pattern=r"^[0-9A-Z]{2,12}$")]
_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
FromParam = Annotated[str | None, Query(alias="from", pattern=_DAY)]  # a period's first day
ToParam = Annotated[str | None, Query(alias="to", pattern=_DAY)]  # and its last


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    province = ensure_key(settings.province_key)
    factory: sessionmaker[Session] = sessions(engine, feed_key=province)
    province_key = public_hex(province)
    from server.sealing import ensure_data_key

    data_key = ensure_data_key(settings.data_key_path)
    try:  # a wrong key stops the start here (`migrate` checks it too)
        from server.sealing import check_against

        with factory() as session, session.begin():
            check_against(session, data_key)
    except (OperationalError, ProgrammingError):
        pass  # the database away, or not migrated yet: its requests answer 503 meanwhile
    trusted = frozenset(settings.trusted_proxies)
    public_url = settings.public_url.rstrip("/") or None
    rate = settings.verify_per_minute / 60.0
    capacity = float(max(settings.verify_per_minute // 4, 1))

    # Verification is the hot path (every bank, court and school): an asyncio connection pool
    # with a prepared statement, so that many checks wait on PostgreSQL at once.
    import psycopg
    from psycopg_pool import AsyncConnectionPool

    pool = AsyncConnectionPool(
        plain_url(settings.database_url),
        min_size=2,
        max_size=8,
        open=False,
        kwargs={"connect_timeout": 5, "options": "-c statement_timeout=15000", "autocommit": True},
    )

    idle = max(60.0, 2 * capacity / rate)

    async def prune() -> None:
        """Forget the buckets of clients gone quiet, so the table holds recent clients only."""
        while True:
            await asyncio.sleep(settings.rate_prune_seconds)
            try:
                async with pool.connection() as connection:
                    await connection.execute(ratelimit.PRUNE_SQL, {"idle": idle})
            except (psycopg.Error, OSError):  # the database away for a moment: next time
                continue

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await pool.open()
        pruning = asyncio.create_task(prune())
        yield
        pruning.cancel()
        await pool.close()

    app = FastAPI(
        title="certdesk 省级服务器",
        version=__version__,
        description="派出所证明记录的汇总、目录下发与证明编号核验。",
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)

    @contextmanager
    def transaction() -> Iterator[Session]:
        with factory() as session, session.begin():
            yield session

    @app.exception_handler(service.ServerError)
    async def refused(_request: Request, error: service.ServerError) -> JSONResponse:
        return JSONResponse(
            {"error": error.code, "message": error.message}, status_code=error.status
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = f"请求内容不对：{where or '请求体'}：{first.get('msg', '格式错误')}"
        # (a field named in the request, such as a key of an answer's fields, may hold anything)
        message = re.sub(r"[\x00-\x1f\x7f]", "?", message)[:2000]
        return JSONResponse({"error": "invalid", "message": message}, status_code=422)

    @app.exception_handler(OperationalError)
    async def database_down(_request: Request, _error: OperationalError) -> JSONResponse:
        return JSONResponse(
            {"error": "unavailable", "message": "省级数据库暂时不可用，请稍后重试"},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    errors: dict[int | str, dict[str, Any]] = {
        code: {"model": Problem} for code in (400, 401, 403, 409, 413, 422, 429, 503)
    }

    @app.post(f"{API}/enrol", response_model=EnrolAnswer, responses=errors)
    def enrol(body: EnrolRequest) -> EnrolAnswer:
        with transaction() as session:
            done = service.enrol(
                session,
                enrol_code=body.enrol_code,
                station_code=body.station_code,
                workstation=body.workstation,
                public_key=body.public_key.lower(),
                province_key=province_key,
            )
        return EnrolAnswer(**done.__dict__, public_url=public_url)

    @app.post(f"{API}/push", response_model=PushAnswer, responses=errors)
    def push(body: PushBatch, token: Token) -> PushAnswer:
        with transaction() as session:
            return service.push(session, token, body, data_key)

    @app.post(f"{API}/anchor", response_model=AnchorAnswer, responses=errors)
    def anchor(body: AnchorRequest, token: Token) -> AnchorAnswer:
        """The audit chain's new events (numbers and hashes only), checked against the head
        held here."""
        with transaction() as session:
            return service.anchor(session, token, body)

    @app.get(f"{API}/workstation", response_model=WorkstationState, responses=errors)
    def workstation(token: Token) -> WorkstationState:
        """The asking workstation's sync position and highest acknowledged numbers."""
        with factory() as session:
            return service.state(session, token)

    @app.get(f"{API}/pull", response_model=PullPage, responses=errors)
    def pull(
        token: Token,
        after: Annotated[int, Query(ge=0, le=2**53)] = 0,
    ) -> Response:
        with transaction() as session:  # each entry with the signature it got when written
            return JSONResponse(
                service.pull(session, token, after, settings.pull_page, province_key)
            )

    # Receiving units keep the version-1 address of the public check; it answers the same.
    @app.get("/api/v1/verify/{serial}", response_model=VerifyAnswer, responses=errors)
    @app.get(f"{API}/verify/{{serial}}", response_model=VerifyAnswer, responses=errors)
    async def verify(
        request: Request,
        serial: Annotated[str, Path(max_length=40, pattern=SERIAL_PATTERN)],
    ) -> VerifyAnswer | Response:
        answer = await check_serial(request, serial)
        if answer is None:
            return too_many()
        # serialised here, once (FastAPI would validate the model a second time)
        return Response(answer.model_dump_json(), media_type="application/json")

    async def check_serial(request: Request, serial: str) -> VerifyAnswer | None:
        """A serial's status (None: the client asked too often). A bare serial answers its
        status only: kind, date and station are for whoever holds the paper's signed QR."""
        client = client_address(request, trusted)
        async with pool.connection() as connection:
            cursor = await connection.execute(
                ratelimit.VERIFY_SQL,
                {"client": client, "capacity": capacity, "rate": rate, "serial": serial},
                prepare=True,
            )
            allowed, status = await cursor.fetchone() or (False, None)
        if not allowed:
            return None
        return VerifyAnswer(
            serial=serial, status=VerifyStatus(status) if status else VerifyStatus.UNKNOWN
        )

    @app.post(f"{API}/verify", response_model=QrVerifyAnswer, responses=errors)
    async def verify_qr(request: Request, body: QrVerifyRequest) -> QrVerifyAnswer | Response:
        """The paper's signed QR content, posted by whoever holds the paper: the serial's status
        and, under a signature that holds, the facts the paper must state. (POST, so that the
        facts never stand in an address a proxy or an access log keeps.)"""
        answer = await check_qr(request, body.qr)
        if answer is None:
            return too_many()
        return Response(answer.model_dump_json(), media_type="application/json")

    async def check_qr(request: Request, text: str) -> QrVerifyAnswer | None:
        """The verdict on a QR's content or address (None: the client asked too often)."""
        from app.policy.workdays import CHINA

        serial, station = verification.target(text)
        async with pool.connection() as connection:
            cursor = await connection.execute(
                verification.VERIFY_QR_SQL,
                {
                    "client": client_address(request, trusted),
                    "capacity": capacity,
                    "rate": rate,
                    "serial": serial,
                    "station": station,
                },
                prepare=True,
            )
            row = await cursor.fetchone()
        if row is None or not row[0]:
            return None
        _, status, kind_id, issued_on, keys = row
        return verification.answer(
            text,
            station=station,
            status=status,
            kind_id=kind_id,
            issued_on=issued_on,
            keys=keys,
            today=dt.datetime.now(CHINA).date(),
        )

    # ------------------------------------------------------------ the public pages (HTML)

    def page(html: str, status_code: int = 200) -> HTMLResponse:
        # nothing of a verdict is cached or kept by a shared computer's browser
        return HTMLResponse(
            html,
            status_code=status_code,
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )

    @app.get("/V/{content:path}", include_in_schema=False)
    @app.get("/v/{content:path}", include_in_schema=False)
    async def qr_page(request: Request, content: str) -> HTMLResponse:
        """The address a certificate's QR holds: the verdict and the signed facts."""
        from server import pages

        if len(content) > 4000:
            return page(
                pages.render("verify.html", serial="", qr="", message="二维码内容过长"), 400
            )
        answer = await check_qr(request, content)
        verdict = pages.qr_verdict(answer)
        return page(
            pages.render("result.html", pages.verdict_text(verdict), verdict=verdict),
            429 if answer is None else 200,
        )

    @app.get("/verify", include_in_schema=False)
    async def verify_page(
        request: Request,
        serial: Annotated[str, Query(max_length=60)] = "",
        qr: Annotated[str, Query(max_length=4000)] = "",
    ) -> HTMLResponse:
        """Type a serial (status only) or paste a QR's content."""
        from server import pages

        serial, qr = serial.strip().upper(), qr.strip()
        if qr:
            answer = await check_qr(request, qr)
            verdict = pages.qr_verdict(answer)
            return page(
                pages.render("result.html", pages.verdict_text(verdict), verdict=verdict),
                429 if answer is None else 200,
            )
        if serial:
            if not re.match(SERIAL_PATTERN, serial):
                message = "编号格式不对：应如 220102001-01-2026-000001-H(派出所代码-工作站-年份-序号-校验码)"
                return page(pages.render("verify.html", serial=serial, qr="", message=message), 400)
            found = await check_serial(request, serial)
            return page(
                pages.render("result.html", verdict=pages.serial_verdict(found)),
                429 if found is None else 200,
            )
        return page(pages.render("verify.html", serial="", qr="", message=""))

    @app.api_route("/api/v1/{rest:path}", methods=["GET", "POST"], include_in_schema=False)
    def version_one(rest: str) -> JSONResponse:
        """A station still speaking protocol version 1: say plainly that it must be upgraded."""
        return JSONResponse(
            {
                "error": "protocol_version",
                "message": "本站 certdesk 版本过旧(接口版本1)，请升级后再同步；已记录的数据不会丢失",
            },
            status_code=410,
        )

    def period(start: str | None, end: str | None) -> tuple[str, str]:
        from app.policy.workdays import CHINA

        today = dt.datetime.now(CHINA).date()
        return start or today.replace(day=1).isoformat(), end or today.isoformat()

    @app.post(f"{API}/login", response_model=LoginAnswer, responses=errors)
    def login(request: Request, body: LoginRequest) -> LoginAnswer | Response:
        """A provincial account signs in for a bearer token of its own (eight hours)."""
        from server import accounts

        per_second = settings.login_per_minute / 60.0
        with transaction() as session:
            allowed = (
                session.connection()
                .exec_driver_sql(
                    ratelimit.TOKEN_SQL,
                    {
                        "client": "login:" + client_address(request, trusted),
                        "capacity": float(settings.login_per_minute),
                        "rate": per_second,
                    },
                )
                .scalar()
            )
        if not allowed:
            return too_many()
        with transaction() as session:  # a refusal commits too: wrong passwords are counted
            done = accounts.login(session, name=body.name, password=body.password)
        if isinstance(done, service.ServerError):
            raise done
        return LoginAnswer(token=done[0], expires_at=done[1])

    def check_right(who: Any, station: str | None) -> None:
        """A station's token reads its own station's detail only (and the province's totals)."""
        if not who.may_read(station):
            raise service.ServerError(
                403, "本站令牌只能查看本所的明细和全省合计；全省明细须使用省级账号", "forbidden"
            )

    @app.get(f"{API}/stats", response_model=Statistics, responses=errors)
    def stats(
        token: Token,
        start: FromParam = None,
        end: ToParam = None,
        station: StationParam = None,
    ) -> Statistics:
        """The province's figures in the station's shape (for the supervisor's charts), or one
        station's (``station``). A station's token gets the province's totals without the counts
        per station, and its own station's figures; a provincial account gets everything."""
        from server import accounts, supervision

        with factory() as session:
            who = accounts.reader(session, token)
            if station is not None:
                check_right(who, station)
            first, last = period(start, end)
            return supervision.statistics(
                session, start=first, end=last, station=station, per_station=who.province
            )

    @app.get(f"{API}/oversight", response_model=OversightFlags, responses=errors)
    def oversight(
        token: Token,
        start: FromParam = None,
        end: ToParam = None,
        station: StationParam = None,
    ) -> OversightFlags:
        """Oversight flags (case and serial numbers, no names): a station's token gets its own
        station's; a provincial account every station's, or ``station``'s."""
        from server import accounts, supervision

        with factory() as session:
            who = accounts.reader(session, token)
            if station is not None:
                check_right(who, station)
            first, last = period(start, end)
            return OversightFlags(
                supervision.oversight(
                    session, start=first, end=last, station=station or who.station
                )
            )

    @app.get(f"{API}/reports", response_model=ReportedDemands, responses=errors)
    def reports(
        token: Token,
        start: FromParam = None,
        end: ToParam = None,
        station: StationParam = None,
    ) -> ReportedDemands:
        """Refusals reported up (五个一律 rule 4) per demanding unit: a provincial account gets the
        whole province's (or ``station``'s), a station's token its own station's."""
        from server import accounts, supervision

        with factory() as session:
            who = accounts.reader(session, token)
            if station is not None:
                check_right(who, station)
            first, last = period(start, end)
            return ReportedDemands(
                supervision.reported_demands(
                    session, start=first, end=last, station=station or who.station
                )
            )

    from server import partner_routes

    partner_routes.mount(
        app,
        factory=factory,
        transaction=transaction,
        data_key=data_key,
        settings=settings,
        public_url=public_url,
        client_of=lambda request: client_address(request, trusted),
        page=page,
        too_many=too_many,
        errors=errors,
    )

    @app.get(f"{API}/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "province_public_key": province_key}

    app.state.engine = engine
    return app


def app_from_env() -> FastAPI:
    """The app with settings from the environment (``uvicorn --factory``, several workers)."""
    return create_app(Settings())
