"""HTTP API of access control: dashboard sign-in and sign-out, and API key management.

``/api/session`` is public (it is how a browser gets in); ``/api/keys`` needs ``admin``.
A key's secret appears in exactly one response, the one that creates it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from spark_control.access import PUBLIC, SESSION_COOKIE, AccessControl, Principal, requires
from spark_control.api_keys import KEY_NAME
from spark_control.deps import AccessDep, AuditDep, EventsDep, GatewayDep
from spark_control.errors import SparkError

if TYPE_CHECKING:
    from spark_control.gateway import Gateway


class SignIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"key": "sck_0123456789ab_..."}]})
    key: SecretStr = Field(description="An API key; the dashboard keeps a session cookie.")


class SessionInfo(BaseModel):
    keys_required: bool = Field(description="Whether access.require_keys is on.")
    signed_in: bool
    name: str | None = Field(None, description="Name of the key in use.", examples=["alice"])
    scopes: list[str] = Field(default_factory=list, examples=[["read", "swap"]])
    via: str | None = Field(None, description="'session' (cookie) or 'key' (header).")
    expires: float | None = Field(None, description="Unix time the sign-in ends.")
    can_manage_keys: bool = Field(description="Whether this caller may use /api/keys.")


class KeyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "meeting-app", "scopes": ["read"]}]},
    )
    name: str = Field(pattern=KEY_NAME.pattern, description="Unique among active keys.")
    scopes: list[str] = Field(
        default_factory=lambda: ["read"], min_length=1, max_length=20, examples=[["read"]]
    )


class KeyOut(BaseModel):
    id: str = Field(examples=["0123456789ab"])
    name: str = Field(examples=["meeting-app"])
    scopes: list[str] = Field(examples=[["read"]])
    created: float
    revoked: float | None
    last_used: float | None


class KeyCreated(KeyOut):
    secret: str = Field(description="Shown this once; only its hash is kept.")


class KeyList(BaseModel):
    keys: list[KeyOut]
    scopes: dict[str, str] = Field(
        description="Every scope a key may hold, with what it grants.",
        examples=[{"read": "see everything...", "swap": "swap models", "admin": "everything"}],
    )
    keys_required: bool


router = APIRouter(tags=["access"])


def _origin(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _secure(request: Request, gateway: Gateway) -> bool:
    """Secure when this request came over TLS (the scheme, or a trusted proxy's
    X-Forwarded-Proto) or the gateway's public URL is https."""
    public_url = gateway.host.settings.gateway.public_url
    return (public_url is not None and public_url.scheme == "https") or (
        request.url.scheme == "https"
    )


def _session_info(
    access: AccessControl, principal: Principal | None, expires: float | None
) -> dict[str, Any]:
    manage = principal.allows("admin") if principal is not None else not access.enforced
    return {
        "keys_required": access.enforced,
        "signed_in": principal is not None,
        "name": principal.name if principal else None,
        "scopes": sorted(principal.scopes) if principal else [],
        "via": principal.via if principal else None,
        "expires": expires,
        "can_manage_keys": manage,
    }


@router.get(
    "/api/session",
    response_model=SessionInfo,
    dependencies=[requires(PUBLIC)],
    summary="Whether keys are required and who this browser is signed in as",
)
async def get_session(request: Request, access: AccessDep) -> dict[str, Any]:
    principal: Principal | None = request.scope.get("spark.principal")
    expires = None
    token = request.cookies.get(SESSION_COOKIE)
    if principal is not None and principal.via == "session" and token:
        session = await access.keys.session(token)
        expires = session.expires if session else None
    return _session_info(access, principal, expires)


@router.post(
    "/api/session",
    response_model=SessionInfo,
    dependencies=[requires(PUBLIC)],
    summary="Sign the dashboard in with an API key (sets an HttpOnly session cookie)",
    responses={401: {"description": "The key is not valid"}},
)
async def sign_in(
    body: SignIn, request: Request, response: Response, gateway: GatewayDep
) -> dict[str, Any]:
    access, audit = gateway.access, gateway.host.audit
    principal = await access.keys.check(body.key.get_secret_value())
    if principal is None:
        await audit.record(
            "access.sign_in", actor="anonymous", origin=_origin(request), result="refused"
        )
        raise SparkError(
            "that key is not valid (unknown, mistyped or revoked)",
            status=401,
            type="unauthorized",
        )
    token, expires = await access.keys.open_session(principal, access.session_ttl_s)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(access.session_ttl_s),
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request, gateway),
    )
    await audit.record(
        "access.sign_in",
        actor=principal.name,
        origin=_origin(request),
        result="ok",
        key=principal.name,
        detail={"expires": expires},
    )
    return _session_info(
        access, Principal(principal.name, principal.scopes, principal.key_id, "session"), expires
    )


@router.delete(
    "/api/session",
    response_model=SessionInfo,
    dependencies=[requires(PUBLIC)],
    summary="Sign the dashboard out: end the session and clear its cookie",
)
async def sign_out(request: Request, response: Response, gateway: GatewayDep) -> dict[str, Any]:
    access = gateway.access
    token = request.cookies.get(SESSION_COOKIE)
    principal: Principal | None = request.scope.get("spark.principal")
    if token:
        await access.keys.close_session(token)
        if principal is not None:
            await gateway.host.audit.record(
                "access.sign_out", actor=principal.name, origin=_origin(request), result="ok"
            )
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request, gateway),
    )
    return _session_info(access, None, None)


@router.get(
    "/api/keys",
    response_model=KeyList,
    dependencies=[requires("admin")],
    summary="Every active API key (names and scopes, never secrets)",
)
async def list_keys(access: AccessDep) -> dict[str, Any]:
    keys = await access.keys.list()
    return {
        "keys": [k.public() for k in keys],
        "scopes": dict(access.scopes),
        "keys_required": access.enforced,
    }


@router.post(
    "/api/keys",
    status_code=201,
    response_model=KeyCreated,
    dependencies=[requires("admin")],
    summary="Create an API key; the response is the only place its secret appears",
    responses={409: {"description": "An active key has that name"}},
)
async def create_key(
    body: KeyCreate, request: Request, response: Response, access: AccessDep, audit: AuditDep
) -> dict[str, Any]:
    info, secret = await access.keys.create(body.name, body.scopes, access.known_scopes())
    await audit.record(
        "access.key_create",
        actor="anonymous",
        origin=_origin(request),
        target=info.name,
        result="ok",
        detail={"scopes": info.scopes},
    )
    response.headers["Cache-Control"] = "no-store"
    return {**info.public(), "secret": secret}


@router.delete(
    "/api/keys/{name}",
    response_model=KeyOut,
    dependencies=[requires("admin")],
    summary="Revoke an API key at once, and end the dashboard sessions it opened",
    responses={404: {"description": "No active key has that name"}},
)
async def revoke_key(
    name: Annotated[str, Path(max_length=63)],
    request: Request,
    access: AccessDep,
    audit: AuditDep,
    events: EventsDep,
) -> dict[str, Any]:
    info = await access.keys.revoke(name)
    # An event stream is authenticated when it opens: end them all, so the revoked key's
    # streams cannot go on. Every other client reconnects and replays.
    events.close_streams()
    await audit.record(
        "access.key_revoke",
        actor="anonymous",
        origin=_origin(request),
        target=info.name,
        result="ok",
    )
    return info.public()
