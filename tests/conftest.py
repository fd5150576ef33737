"""Test-suite-wide settings: a derandomized hypothesis profile for CI."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
