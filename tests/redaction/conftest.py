"""Shared pieces of the redaction tests: the process's spaCy model, the provider
stand-in on this suite's loopback range, and a gateway with the redaction plugin."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_redaction.ner import NerModel
from spark_control_redaction.service import shared_model
from spark_control_redaction.settings import DEFAULT_MODEL
from tests.redaction.provider import Provider, provider_stand_in

DENY = ["Project Bluebird"]
ALLOW = ["Spark Control"]


@pytest.fixture(scope="session")
def ner_model() -> NerModel:
    return shared_model(DEFAULT_MODEL)


@pytest.fixture
def provider() -> Iterator[Provider]:
    with provider_stand_in() as stand_in:
        yield stand_in


def redaction_config(tmp_path: Path, **overrides: Any) -> Any:
    return make_config(
        tmp_path,
        {
            "plugins": {"enabled": ["redaction"]},
            "redaction": {"deny_list": DENY, "allow_list": ALLOW, **overrides},
        },
    )


@pytest_asyncio.fixture
async def gateway(tmp_path: Path, provider: Provider) -> AsyncIterator[RunningGateway]:
    config = redaction_config(
        tmp_path,
        provider_base_url=provider.url + "/v1",
        provider_api_key="sk-provider-key-for-tests-0000000000",
    )
    async with running_gateway(config) as gw:
        yield gw
