"""The exchange desk's addresses: the station's inquiries (``GET /api/v2/inquiries``), the partner
API (``/api/v2/partner/…``, bearer token) and the partner pages (``/partner``, a session cookie
and a form key in every form), plus the public status of a printed 核查结果 (``/H/{number}``).

The rules live in ``server.inquiries``; here are only the HTTP shapes."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import AwareDatetime, StringConstraints
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.policy import inquiries as policy
from app.protocol.models import (
    API,
    IDENT_PATTERN,
    STATION_PATTERN,
    TEXT_PATTERN,
    Inquiries,
    Inquiry,
    LoginRequest,
    Message,
)
from server import inquiries, ratelimit
from server.accounts import NAME
from server.service import ServerError, workstation_for_token
from server.supervision import current_catalog

COOKIE = "certdesk_partner"
STATUS_WORDS = {"open": "待答复", "answered": "已答复", "declined": "不予答复"}
Free = Annotated[str, StringConstraints(max_length=300, pattern=TEXT_PATTERN)]


class InquiryRequest(Message):
    """A partner's inquiry (``POST /api/v2/partner/inquiries``)."""

    kind_id: Annotated[str, StringConstraints(pattern=IDENT_PATTERN)]
    subject_name: Free
    subject_id: Free
    legal_basis: Free
    partner_case_no: Free
    station: Annotated[str, StringConstraints(pattern=STATION_PATTERN)]


class PasswordChange(Message):
    old: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    new: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class PartnerLoginAnswer(Message):
    token: str
    expires_at: AwareDatetime
    unit: str
    sector: str
    must_change: bool  # the province's initial password: POST /api/v2/partner/password first


def mount(
    app: FastAPI,
    *,
    factory: Callable[[], Session],
    transaction: Callable[[], AbstractContextManager[Session]],
    data_key: bytes,
    settings: Any,
    public_url: str | None,
    client_of: Callable[[Request], str],
    page: Callable[..., HTMLResponse],
    too_many: Callable[[], JSONResponse],
    errors: dict[int | str, dict[str, Any]],
) -> None:
    days = dict(settings.inquiry_days)
    secure = (public_url or "").lower().startswith("https://")

    def bearer(request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        return header[7:].strip() if header.lower().startswith("bearer ") else None

    def login_allowed(request: Request) -> bool:
        with transaction() as session:
            return bool(
                session.connection()
                .exec_driver_sql(
                    ratelimit.TOKEN_SQL,
                    {
                        "client": "plogin:" + client_of(request),
                        "capacity": float(settings.login_per_minute),
                        "rate": settings.login_per_minute / 60.0,
                    },
                )
                .scalar()
            )

    def sign_in(request: Request, name: str, password: str) -> inquiries.SignedIn:
        with transaction() as session:  # a refusal commits too: counted and audited
            done = inquiries.login(session, name=name, password=password, client=client_of(request))
        if isinstance(done, ServerError):
            raise done
        return done

    def ask(token: str | None, request: Request, values: dict[str, str]) -> Inquiry:
        with transaction() as session:
            partner, _ = inquiries.partner_for(session, token)
            done = inquiries.ask(
                session,
                partner,
                kind_id=values.get("kind_id", ""),
                subject_name=values.get("subject_name", ""),
                subject_id=values.get("subject_id", ""),
                legal_basis=values.get("legal_basis", ""),
                partner_case_no=values.get("partner_case_no", ""),
                station=values.get("station", ""),
                data_key=data_key,
                days=days,
                client=client_of(request),
            )
        if isinstance(done, ServerError):  # refused and logged (committed above)
            raise done
        return done

    # ------------------------------------------------------------------ the station's side

    @app.get(f"{API}/inquiries", response_model=Inquiries, responses=errors)
    def station_inquiries(request: Request) -> Inquiries:
        """The asking workstation's station's open inquiries (and those closed in 30 days)."""
        with transaction() as session:
            ws = workstation_for_token(session, bearer(request))
            found = inquiries.for_station(session, ws.station_code, data_key)
            inquiries.note(
                session, f"{ws.station_code}-{ws.number}", "station.fetch", None, str(len(found))
            )
            return Inquiries(inquiries=found)

    # ------------------------------------------------------------------ the partner API

    @app.post(f"{API}/partner/login", response_model=PartnerLoginAnswer, responses=errors)
    def partner_login(request: Request, body: LoginRequest) -> PartnerLoginAnswer | JSONResponse:
        """A partner signs in for a bearer token of its own (eight hours)."""
        if not login_allowed(request):
            return too_many()
        done = sign_in(request, body.name, body.password)
        with factory() as session:
            partner, _ = inquiries.partner_for(session, done.token, initial=True)
            return PartnerLoginAnswer(
                token=done.token,
                expires_at=done.expires_at,
                unit=partner.unit,
                sector=partner.sector,
                must_change=partner.must_change,
            )

    @app.get(f"{API}/partner/kinds", responses=errors)
    def partner_kinds(request: Request) -> list[dict[str, str]]:
        """What this partner may ask about."""
        with transaction() as session:  # (the session's last request moves on)
            partner, _ = inquiries.partner_for(session, bearer(request))
            return [
                {
                    "kind_id": k.id,
                    "name": k.name,
                    "information": policy.printable_information(k.information_exchanged or ""),
                }
                for k in inquiries.askable(current_catalog(session), partner.sector)
            ]

    @app.get(f"{API}/partner/stations", responses=errors)
    def partner_stations(
        request: Request,
        q: Annotated[str, Query(max_length=40)] = "",
        region: Annotated[str | None, Query(pattern=r"^[0-9]{6}$")] = None,
    ) -> list[dict[str, Any]]:
        """Stations by name or code; those of ``region`` (the first six digits of the subject's
        identity number — never the whole number in an address) first, marked proposed."""
        with transaction() as session:
            inquiries.partner_for(session, bearer(request))
            return inquiries.stations(session, q, region or "")

    @app.post(f"{API}/partner/inquiries", response_model=Inquiry, responses=errors)
    def partner_ask(request: Request, body: InquiryRequest) -> Inquiry:
        return ask(bearer(request), request, body.model_dump())

    @app.get(f"{API}/partner/inquiries", responses=errors)
    def partner_mine(request: Request) -> list[dict[str, Any]]:
        with transaction() as session:
            partner, _ = inquiries.partner_for(session, bearer(request))
            return inquiries.mine(session, partner, data_key, client=client_of(request))

    @app.get(f"{API}/partner/inquiries/{{inquiry_id}}", responses=errors)
    def partner_read(
        request: Request, inquiry_id: Annotated[str, Path(max_length=36)]
    ) -> dict[str, Any]:
        """One inquiry, its answer and the signature as checked now."""
        with transaction() as session:
            partner, _ = inquiries.partner_for(session, bearer(request))
            return inquiries.read(session, partner, inquiry_id, data_key, client=client_of(request))

    @app.get(f"{API}/partner/inquiries/{{inquiry_id}}/pdf", responses=errors)
    def partner_pdf(request: Request, inquiry_id: Annotated[str, Path(max_length=36)]) -> Response:
        return pdf(bearer(request), request, inquiry_id)

    def pdf(token: str | None, request: Request, inquiry_id: str) -> Response:
        from forms.errors import FormError

        with transaction() as session:
            partner, _ = inquiries.partner_for(session, token)
            detail = inquiries.read(
                session, partner, inquiry_id, data_key, client=client_of(request)
            )
            try:
                body = inquiries.result_pdf(detail, public_url)
            except FormError as error:  # (audited as a read above; not as a print)
                raise ServerError(409, f"核查结果无法排版：{error.message}", "inquiry") from None
            inquiries.note(session, partner.name, "print", inquiry_id, detail["number"])
        return Response(
            body,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="{detail["number"]}.pdf"',
                "Cache-Control": "no-store",
            },
        )

    # ------------------------------------------------------------------ the partner pages

    def form(body: bytes) -> dict[str, str]:
        parsed = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        return {k: v[0] for k, v in parsed.items() if v}

    def signed_in(request: Request, *, initial: bool = False) -> tuple[Any, str] | Response:
        """The signed-in partner and its token; or where to send the browser: to sign in, or
        (unless ``initial``) to choose its own password first."""
        token = request.cookies.get(COOKIE)
        try:
            with transaction() as session:  # (the session's last request moves on)
                partner, _ = inquiries.partner_for(session, token, initial=True)
                session.expunge(partner)
        except ServerError:
            return to_login()
        assert token is not None
        if partner.must_change and not initial:
            return RedirectResponse("/partner/password", status_code=303)
        return partner, token

    def to_login() -> RedirectResponse:
        return RedirectResponse("/partner", status_code=303)

    @app.get("/partner", include_in_schema=False)
    def partner_home(request: Request) -> Response:
        from server import pages

        if isinstance(signed_in(request), tuple):
            return RedirectResponse("/partner/requests", status_code=303)
        return page(pages.render("partner_login.html", login_name="", message=""))

    @app.post("/partner/login", include_in_schema=False)
    async def partner_page_login(request: Request) -> Response:
        # the form read here; the database and the Argon2 check off the event loop
        values = form(await request.body())
        return await run_in_threadpool(page_login, request, values)

    def page_login(request: Request, values: dict[str, str]) -> Response:
        from server import pages

        typed = values.get("name", "").strip()[:40]
        name = typed if NAME.match(typed) else ""  # only a well-formed name comes back
        if not login_allowed(request):
            return page(
                pages.render(
                    "partner_login.html", login_name=name, message="登录过于频繁，请一分钟后再试"
                ),
                429,
            )
        try:
            done = sign_in(request, typed, values.get("password", "")[:200])
        except ServerError as error:
            return page(
                pages.render("partner_login.html", login_name=name, message=error.message), 401
            )
        response = RedirectResponse("/partner/requests", status_code=303)
        response.set_cookie(
            COOKIE,
            done.token,
            max_age=inquiries.SESSION_HOURS * 3600,
            httponly=True,
            secure=secure,
            samesite="strict",
            path="/",
        )
        return response

    @app.post("/partner/logout", include_in_schema=False)
    async def partner_logout(request: Request) -> Response:
        values = form(await request.body())
        return await run_in_threadpool(page_logout, request, values)

    def page_logout(request: Request, values: dict[str, str]) -> Response:
        token = request.cookies.get(COOKIE)
        if token:
            inquiries.check_form_key(token, values.get("form_key", ""))
            with transaction() as session:
                inquiries.logout(session, token)
        response = to_login()
        response.delete_cookie(COOKIE, path="/")
        return response

    def new_page(
        partner: Any, token: str, values: dict[str, str], message: str = "", field: str = ""
    ) -> str:
        from server import pages

        with factory() as session:
            kinds = inquiries.askable(current_catalog(session), partner.sector)
            stations = inquiries.stations(
                session, values.get("q", ""), values.get("subject_id", "")[:6]
            )
        return pages.render(
            "partner_new.html",
            f"{partner.unit} {values.get('subject_name', '')}",  # (a signed-in partner's words)
            partner=partner,
            form_key=inquiries.form_key(token),
            kinds=kinds,
            stations=stations,
            values=values,
            message=message,
            field=field,
        )

    @app.get("/partner/new", include_in_schema=False)
    def partner_new(request: Request) -> Response:
        who = signed_in(request)
        if not isinstance(who, tuple):
            return who
        return page(new_page(*who, {}))

    @app.post("/partner/new", include_in_schema=False)
    async def partner_new_post(request: Request) -> Response:
        values = {k: v[:300] for k, v in form(await request.body()).items()}
        return await run_in_threadpool(page_ask, request, values)

    def page_ask(request: Request, values: dict[str, str]) -> Response:
        who = signed_in(request)
        if not isinstance(who, tuple):
            return who
        partner, token = who
        try:
            inquiries.check_form_key(token, values.get("form_key", ""))
        except ServerError as error:
            return page(new_page(partner, token, values, error.message), 403)
        if values.get("action") == "search":
            with factory() as session:
                found = inquiries.stations(session, "", values.get("subject_id", "")[:6])
            proposed = [s for s in found if s["proposed"]]
            if proposed and not values.get("station"):
                values["station"] = proposed[0]["code"]
            return page(new_page(partner, token, values))
        if not values.get("station"):
            return page(new_page(partner, token, values, "请选择派出所(station)", "station"), 400)
        try:
            done = ask(token, request, values)
        except ServerError as error:
            return page(new_page(partner, token, values, error.message, error.code), error.status)
        return RedirectResponse(f"/partner/requests/{done.id}?new=1", status_code=303)

    @app.get("/partner/requests", include_in_schema=False)
    def partner_requests(request: Request) -> Response:
        from server import pages

        who = signed_in(request)
        if not isinstance(who, tuple):
            return who
        partner, token = who
        with transaction() as session:
            rows = inquiries.mine(session, partner, data_key, client=client_of(request))
        return page(
            pages.render(
                "partner_requests.html",
                " ".join([partner.unit, *(r["subject_name"] for r in rows)]),
                partner=partner,
                form_key=inquiries.form_key(token),
                requests=rows,
                words=STATUS_WORDS,
                notice="",
            )
        )

    @app.get("/partner/requests/{inquiry_id}.pdf", include_in_schema=False)
    def partner_page_pdf(request: Request, inquiry_id: str) -> Response:
        who = signed_in(request)
        if not isinstance(who, tuple):
            return who
        return pdf(who[1], request, inquiry_id)

    @app.get("/partner/requests/{inquiry_id}", include_in_schema=False)
    def partner_request(request: Request, inquiry_id: str) -> Response:
        from server import pages

        who = signed_in(request)
        if not isinstance(who, tuple):
            return who
        partner, token = who
        try:
            with transaction() as session:
                detail = inquiries.read(
                    session, partner, inquiry_id, data_key, client=client_of(request)
                )
        except ServerError as error:
            return page(
                pages.render(
                    "partner_requests.html",
                    partner.unit,
                    partner=partner,
                    form_key=inquiries.form_key(token),
                    requests=[],
                    words=STATUS_WORDS,
                    notice="",
                    message=error.message,
                ),
                error.status,
            )
        return page(
            pages.render(
                "partner_request.html",
                f"{partner.unit} {detail['subject_name']} {detail['legal_basis']}",
                partner=partner,
                form_key=inquiries.form_key(token),
                r=detail,
            )
        )

    @app.get("/partner/password", include_in_schema=False)
    def partner_password(request: Request) -> Response:

        who = signed_in(request, initial=True)
        if not isinstance(who, tuple):
            return who
        partner, token = who
        return page(password_page(partner, token, ""))

    def password_page(partner: Any, token: str, message: str) -> str:
        from server import pages

        return pages.render(
            "partner_password.html",
            partner.unit,
            partner=partner,
            form_key=inquiries.form_key(token),
            message=message,
        )

    @app.post("/partner/password", include_in_schema=False)
    async def partner_password_post(request: Request) -> Response:
        values = form(await request.body())
        return await run_in_threadpool(page_password, request, values)

    def page_password(request: Request, values: dict[str, str]) -> Response:
        who = signed_in(request, initial=True)
        if not isinstance(who, tuple):
            return who
        partner, token = who
        try:
            inquiries.check_form_key(token, values.get("form_key", ""))
            if values.get("new", "") != values.get("again", ""):
                raise ServerError(400, "两次输入的新密码不一致(again)", "again")
            change(request, token, values.get("old", "")[:200], values.get("new", "")[:200])
        except ServerError as error:
            return page(password_page(partner, token, error.message), error.status)
        return RedirectResponse("/partner/requests", status_code=303)

    def change(request: Request, token: str, old: str, new: str) -> None:
        with transaction() as session:  # a wrong old password is audited: commit, then raise
            partner, _ = inquiries.partner_for(session, token, initial=True)
            try:
                inquiries.change_password(
                    session, partner, old=old, new=new, client=client_of(request)
                )
                refused = None
            except ServerError as error:
                refused = error
        if refused is not None:
            raise refused

    @app.post(f"{API}/partner/password", responses=errors)
    def partner_api_password(request: Request, body: PasswordChange) -> dict[str, str]:
        """The partner's own password (required before anything else after the province set
        one)."""
        change(request, bearer(request) or "", body.old, body.new)
        return {"status": "changed"}

    @app.post(f"{API}/partner/logout", responses=errors)
    def partner_api_logout(request: Request) -> dict[str, str]:
        with transaction() as session:
            inquiries.logout(session, bearer(request))
        return {"status": "signed_out"}

    @app.get("/H/{reference}", include_in_schema=False)
    @app.get("/h/{reference}", include_in_schema=False)
    def inquiry_status(reference: Annotated[str, Path(max_length=40)]) -> Response:
        """A printed 核查结果's QR: its number, station, dates, and whether its signature holds
        (the number with its check code; a number alone is not found)."""
        from server import pages

        with factory() as session:
            found = inquiries.public_status(session, reference, data_key)
        return page(pages.render("inquiry_status.html", found=found), 200 if found else 404)
