"""The redaction plugin's HTTP API.

``POST /api/redaction/scrub`` and ``POST /api/redaction/rehydrate``,
``DELETE /api/redaction/sessions/{session_id}``, ``GET /api/redaction/status`` (vault
size, model, entity types, for the tile). The older paths (``/scrub`` and
``/rehydrate`` of the original system, ``/api/scrub``, ``/api/redact/…``) stay served as
deprecated aliases (:data:`ALIASES`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from spark_control.api import SparkError, plugin_instance, requires
from spark_control_redaction.entities import DETECTABLE_TYPES, NER_TYPES, RULE_TYPES
from spark_control_redaction.plugin import RedactionPlugin
from spark_control_redaction.service import Redactor

SCRUB_EXAMPLE: dict[str, Any] = {
    "text": "Alice Example (alice@example.com) will call Bob on +1 555-010-0199."
}


class ScrubRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [SCRUB_EXAMPLE]})
    text: str = Field(description="The text to scrub.")
    session_id: str | None = Field(
        None,
        description="A session id an earlier scrub returned: the same values get the same "
        "placeholders. Leave out to start a new session.",
    )
    entities: list[str] | None = Field(
        None, description="Only these entity types (default: all). " + ", ".join(DETECTABLE_TYPES)
    )


class Entity(BaseModel):
    type: str
    placeholder: str
    start: int = Field(description="Offset of the value in the original text.")
    end: int


class ScrubResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "text": "<PERSON_1> (<EMAIL_1>) will call <PERSON_2> on <PHONE_1>.",
                    "session_id": "rds_Q2hhbmdlIG1lLCB0aGlzIGlzIGFuIGV4YW1w",
                    "entities": [
                        {"type": "PERSON", "placeholder": "<PERSON_1>", "start": 0, "end": 13}
                    ],
                    "expires_at": 1767312000.0,
                }
            ]
        }
    )
    text: str
    session_id: str
    entities: list[Entity]
    expires_at: float = Field(description="When the session's mapping is deleted (epoch s).")


class RehydrateRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Dear <PERSON_1>, I wrote to <EMAIL_1>.",
                    "session_id": "rds_Q2hhbmdlIG1lLCB0aGlzIGlzIGFuIGV4YW1w",
                }
            ]
        },
    )
    text: str
    session_id: str


class RehydrateResponse(BaseModel):
    text: str
    session_id: str
    restored: int = Field(description="How many placeholders were put back.")
    unknown_placeholders: list[str] = Field(
        description="Placeholder-shaped text the session has no value for, left as written."
    )


class VaultStatus(BaseModel):
    sessions: int = Field(description="Live sessions in the vault.")
    entities: int = Field(description="Entities remembered across live sessions.")
    expired: int = Field(description="Expired sessions whose mapping is already deleted.")
    ttl_s: float
    model: str | None = Field(description="The spaCy pipeline (None: NER off).")
    model_loaded: bool
    entity_types: list[str]
    ner_types: list[str]
    rule_types: list[str]
    provider_configured: bool
    sample_text: str


SCRUB = "/api/redaction/scrub"
REHYDRATE = "/api/redaction/rehydrate"
SESSION = "/api/redaction/sessions/{session_id}"
STATUS = "/api/redaction/status"
ALIASES = {
    "/scrub": SCRUB,
    "/api/scrub": SCRUB,
    "/rehydrate": REHYDRATE,
    "/api/rehydrate": REHYDRATE,
    "/api/redact/sessions/{session_id}": SESSION,
    "/api/redact/status": STATUS,
}
"""Old path: new path (the old one stays served, deprecated)."""

Redaction = Annotated[RedactionPlugin, Depends(plugin_instance(RedactionPlugin))]


def _service(plugin: Redaction) -> Redactor:
    return plugin.service()


Service = Annotated[Redactor, Depends(_service)]
"""This gateway's redaction service (503 before the plugin started)."""

# Scrubbing changes nothing on the cluster: any key that may use it (``read``), like
# inference under /v1; a session is its caller's own, so deleting it is too.
router = APIRouter(tags=["redaction"], dependencies=[requires("read")])


@router.post(
    SCRUB,
    summary="Replace PII with placeholders",
    description="Typed, numbered placeholders (`<PERSON_1>`, `<EMAIL_1>`; another "
    "spelling of one entity: `<PERSON_1b>`). 404 unknown session, 410 expired, "
    "413 text too long, 422 empty text or unknown entity type.",
)
async def scrub(service: Service, body: ScrubRequest) -> ScrubResponse:
    service.check_text(body.text)
    types = service.entity_types(body.entities)
    outcome = await service.scrub(body.text, body.session_id, types)
    return ScrubResponse(
        text=outcome.text,
        session_id=outcome.session_id,
        entities=[Entity(**vars(e)) for e in outcome.entities],
        expires_at=outcome.expires_at,
    )


@router.post(
    REHYDRATE,
    summary="Put the originals back",
    description="Restores placeholders of the session, also when a model changed "
    "their case or spacing, dropped or escaped their brackets; unknown ones are left "
    "as written and listed.",
)
async def rehydrate(service: Service, body: RehydrateRequest) -> RehydrateResponse:
    service.check_text(body.text)
    outcome = await service.rehydrate(body.text, body.session_id)
    return RehydrateResponse(
        text=outcome.text,
        session_id=outcome.session_id,
        restored=outcome.restored,
        unknown_placeholders=outcome.unknown,
    )


@router.delete(
    SESSION,
    status_code=204,
    summary="Delete a session's mapping now",
    responses={404: {"description": "No such session"}},
)
async def delete_session(
    plugin: Redaction, service: Service, session_id: str, request: Request
) -> Response:
    deleted = await service.vault.delete(session_id)
    await plugin.host.audit.record(
        "redaction.session_delete",
        actor=(request.headers.get("x-actor") or "anonymous")[:100],
        origin=request.client.host if request.client else "unknown",
        target=session_id[:8] + "…",
        result="ok" if deleted else "not_found",
    )
    if not deleted:
        raise SparkError("unknown session_id", status=404, type="unknown_session")
    return Response(status_code=204)


@router.get(STATUS, summary="Vault size and detector set-up")
async def status(service: Service) -> VaultStatus:
    stats = await service.vault.stats()
    return VaultStatus(
        sessions=stats.sessions,
        entities=stats.entities,
        expired=stats.expired,
        ttl_s=service.vault.ttl_s,
        model=service.settings.spacy_model if service.ner else None,
        model_loaded=bool(service.ner and service.ner.loaded),
        entity_types=list(DETECTABLE_TYPES),
        ner_types=list(NER_TYPES),
        rule_types=list(RULE_TYPES),
        provider_configured=service.settings.provider_base_url is not None,
        sample_text=service.settings.sample_text,
    )
