"""The whole swap fault matrix on real docker engines (slow, and on request:
``SPARK_ENGINE_FULL=1``; the core of it is ``test_engine_swap.py``). Same test functions
as ``test_swap_faults.py``, with ``test_engine_swap.py``'s engine cluster and deadlines."""

from __future__ import annotations

import pytest

from tests.vllm import test_engine_swap
from tests.vllm.test_swap_faults import *  # noqa: F403 - every test, collected again here

# After the star import, which brings the stand-in's ``cluster`` too.
cluster = test_engine_swap.cluster
_engine_deadlines = test_engine_swap._engine_deadlines

pytestmark = [pytest.mark.asyncio, pytest.mark.engine, pytest.mark.slow]
