"""The hub's HTTP API (FastAPI). Every JSON answer names the protocol; errors carry a stable
``error`` code and a one-line ``message``, never content, tokens or a traceback.

(No ``from __future__ import annotations`` here: FastAPI reads the dependency annotations of
the endpoints defined inside ``create_app`` at definition time.)"""


import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from firstcontact.hub import devices as device_admin
from firstcontact.hub import enrolment, records, store
from firstcontact.hub.clock import Clock, stamp, utc_now
from firstcontact.hub.config import HubConfig
from firstcontact.hub.db import Database
from firstcontact.hub.errors import HubError
from firstcontact.hub.models import devices
from firstcontact.sync.wire import (
    DEVICES_PATH,
    ENROL_PATH,
    ENVELOPES_PATH,
    FEED_PATH,
    HEALTH_PATH,
    MAX_BATCH_ENVELOPES,
    MAX_ENVELOPE_BYTES,
    MAX_REQUEST_BYTES,
    MAX_STATUS_IDS,
    ORG_KEY_PATH,
    PROTOCOL,
    RECORDS_PATH,
    STATUS_PATH,
    b64d,
    b64e,
)

log = logging.getLogger("firstcontact.hub")
_B64_ENVELOPE = (MAX_ENVELOPE_BYTES + 2) // 3 * 4
_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class EnrolRequest(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    verify_key: str = Field(min_length=1, max_length=64, description="Ed25519, base64")
    receiving_key: str = Field(min_length=1, max_length=2048,
                               description="ML-KEM-768+X25519 public key, base64")


class PushRequest(BaseModel):
    envelopes: list[Annotated[str, Field(max_length=_B64_ENVELOPE)]] = Field(
        min_length=1, max_length=MAX_BATCH_ENVELOPES, description="envelope bytes, base64")


class StatusRequest(BaseModel):
    envelope_ids: list[Annotated[str, Field(pattern=_UUID)]] = Field(
        min_length=1, max_length=MAX_STATUS_IDS)


class RecordsRequest(BaseModel):
    records: list[Annotated[str, Field(max_length=_B64_ENVELOPE)]] = Field(
        min_length=1, max_length=MAX_BATCH_ENVELOPES, description="record bytes, base64")


class OrgKeyCopyRequest(BaseModel):
    wrapped: str = Field(min_length=1, max_length=4096,
                         description="the organisation key wrapped to this device, base64")


def _answer(status: int, doc: dict[str, Any],
            headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"protocol": PROTOCOL, **doc}, status_code=status, headers=headers)


def _error(status: int, error: str, message: str,
           extra: dict[str, Any] | None = None) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return _answer(status, {**(extra or {}), "error": error, "message": message}, headers)


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes (413) before reading them, and bodies of
    unknown length (411): every client of the protocol sends Content-Length."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: MutableMapping[str, Any],
                       receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
                       send: Callable[[MutableMapping[str, Any]], Awaitable[None]]) -> None:
        if scope["type"] == "http" and scope.get("method") in ("POST", "PUT", "PATCH"):
            length = dict(scope.get("headers") or []).get(b"content-length", b"")
            refusal = None
            if not length.isdigit():
                refusal = _error(411, "length-required", "the request must give its length")
            elif int(length) > self.limit:
                refusal = _error(413, "too-large", "the request is too large")
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(config: HubConfig, db: Database, clock: Clock = utc_now) -> FastAPI:
    app = FastAPI(title="firstcontact hub", version="1", openapi_url="/v1/openapi.json",
                  docs_url=None, redoc_url=None)
    app.add_middleware(BodyLimit, limit=MAX_REQUEST_BYTES)
    bearer = HTTPBearer(auto_error=False)

    @app.exception_handler(HubError)
    async def _hub_error(_request: Request, exc: HubError) -> JSONResponse:
        return _error(exc.status, exc.error, exc.message, exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Field positions only (never the values sent).
        log.info("refused a request not in the protocol's form at %s",
                 [error.get("loc") for error in exc.errors()])
        return _error(422, "bad-request", "the request is not in the protocol's form")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, "http", str(exc.detail))

    @app.exception_handler(SQLAlchemyError)
    async def _db_error(_request: Request, exc: SQLAlchemyError) -> JSONResponse:
        log.error("database error: %s", type(exc).__name__)
        return _error(503, "busy", "the hub's database is not available; try again")

    def device(credentials: Annotated[HTTPAuthorizationCredentials | None,
                                      Depends(bearer)]) -> store.Device:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise HubError(401, "unauthorised", "a device token is needed")
        with db.read() as conn:
            row = conn.execute(select(devices.c.device_id, devices.c.role, devices.c.state,
                                      devices.c.verify_key, devices.c.retire_until).where(
                devices.c.token_hash == enrolment.token_hash(credentials.credentials))).first()
        if row is None:
            raise HubError(401, "unauthorised", "this device token is not known")
        if row.state == "revoked":
            order = device_admin.wipe_order(db, clock, row.device_id)
            raise HubError(401, "device-revoked", "this device was revoked by the organisation",
                           {"wipe_order": order} if order else None)
        if row.state == "retired" and (row.retire_until or "") <= stamp(clock):
            raise HubError(401, "device-retired", "this device was retired by the organisation")
        return store.Device(row.device_id, row.role, row.state, row.verify_key)

    def supervisor(who: store.Device) -> store.Device:
        if who.role != "supervisor":
            raise HubError(403, "not-supervisor", "only a supervisor's device may do this")
        return who

    Authed = Annotated[store.Device, Depends(device)]

    @app.get(HEALTH_PATH)
    def health() -> JSONResponse:
        with db.read() as conn:
            conn.execute(text("SELECT 1"))
        return _answer(200, {"status": "ok"})

    @app.post(ENROL_PATH)
    def enrol(request: EnrolRequest) -> JSONResponse:
        try:
            verify_key, receiving_key = b64d(request.verify_key), b64d(request.receiving_key)
        except ValueError:
            raise HubError(422, "bad-key", "the device keys are not base64") from None
        done = enrolment.redeem(db, clock, request.code, verify_key, receiving_key)
        return _answer(200, {
            "device_id": done.device_id, "token": done.token, "role": done.role,
            "worker": done.worker, "org_public_key": b64e(config.org_key.raw),
            "org_fingerprint": config.org_key.fingerprint(),
            "hub_signing_key": b64e(config.hub_key_raw),
            "hub_fingerprint": config.hub_fingerprint,
            **({"org_key_by_code": b64e(done.org_key_wrapped)} if done.org_key_wrapped else {})})

    @app.post(ENVELOPES_PATH)
    def push(request: PushRequest, who: Authed) -> JSONResponse:
        items: list[bytes | str] = []
        for text_item in request.envelopes:
            try:
                items.append(b64d(text_item))
            except ValueError:
                items.append("malformed")
        outcomes = store.push(db, clock, who, items)
        return _answer(200, {"results": [o.to_json(config.signing_key) for o in outcomes]})

    @app.post(STATUS_PATH)
    def status(request: StatusRequest, who: Authed) -> JSONResponse:
        rows = store.held(db, who, request.envelope_ids)
        return _answer(200, {"results": [
            {"envelope_id": i, "status": "stored",
             "receipt": store.receipt_for(config.signing_key, rows[i])} if i in rows
            else {"envelope_id": i, "status": "unknown"} for i in request.envelope_ids]})

    @app.get(FEED_PATH)
    def feed(who: Authed, after: Annotated[int, Query(ge=0, le=2**62)] = 0,
             limit: Annotated[int, Query(ge=1, le=500)] = 100) -> JSONResponse:
        supervisor(who)
        rows = store.feed(db, clock, who, after, limit)
        return _answer(200, {
            "envelopes": [{"seq": r.seq, "device_id": r.device_id, "worker": r.worker,
                           "verify_key": b64e(r.verify_key), "envelope": b64e(r.body),
                           **({"flag": r.flag} if r.flag else {})}
                          for r in rows],
            "next": rows[-1].seq if rows else after})

    @app.get(RECORDS_PATH)
    def read_records(who: Authed, after: Annotated[int, Query(ge=0, le=2**62)] = 0,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100,
                     pending: Annotated[int | None, Query(ge=0, le=2**31)] = None
                     ) -> JSONResponse:
        page = records.read(db, clock, who, after, limit, pending)
        return _answer(200, {
            "records": [{"seq": r.seq, "kind": r.kind, "case_id": r.case_id,
                         "author_device": r.author_device or "hub",
                         "author_worker": r.worker or "",
                         "verify_key": b64e(r.verify_key) if r.verify_key else None,
                         "record": b64e(r.body)} for r in page.rows],
            "next": page.rows[-1].seq if page.rows else after,
            "settings": page.settings})

    @app.post(RECORDS_PATH)
    def post_records(request: RecordsRequest, who: Authed) -> JSONResponse:
        supervisor(who)
        items: list[bytes | str] = []
        for text_item in request.records:
            try:
                items.append(b64d(text_item))
            except ValueError:
                items.append("malformed")
        outcomes = records.accept(db, clock, config.signing_key, who, items)
        return _answer(200, {"results": [o.to_json() for o in outcomes]})

    @app.get(DEVICES_PATH)
    def list_devices(who: Authed) -> JSONResponse:
        supervisor(who)
        with db.read() as conn:
            rows = conn.execute(select(devices.c.device_id, devices.c.worker, devices.c.role,
                                       devices.c.state, devices.c.receiving_key)
                                .order_by(devices.c.enrolled_at)).all()
        return _answer(200, {"devices": [
            {"device_id": r.device_id, "worker": r.worker, "role": r.role, "state": r.state,
             "receiving_key": b64e(r.receiving_key)} for r in rows]})

    @app.get(ORG_KEY_PATH)
    def org_key_copy(who: Authed) -> JSONResponse:
        supervisor(who)
        wrapped = device_admin.device_copy(db, who.device_id)
        if wrapped is None:
            raise HubError(404, "no-org-key", "the hub holds no copy of the organisation key "
                                              "for this device")
        return _answer(200, {"wrapped": b64e(wrapped)})

    @app.post(ORG_KEY_PATH)
    def keep_org_key_copy(request: OrgKeyCopyRequest, who: Authed) -> JSONResponse:
        supervisor(who)
        try:
            wrapped = b64d(request.wrapped)
        except ValueError:
            raise HubError(422, "bad-key", "the copy is not base64") from None
        device_admin.keep_device_copy(db, clock, who.device_id, wrapped, config.org_key)
        return _answer(200, {"status": "kept"})

    return app
