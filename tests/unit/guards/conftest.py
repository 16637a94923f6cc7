"""Shared fixtures for the guard tests: the redactor is slow to build, so build it once."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.company_profile import CompanyProfile
from guards.input_checks import InputScreen
from guards.output_check import OutputCheck
from guards.redaction import Redactor


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    return Redactor()


# --- input screen and output check (issue 5) ---------------------------------------------

TEST_CANARY = "CANARY-5e1f0c2d"
MODEL_CACHE = Path(__file__).resolve().parents[3] / "var" / "models"
"""The same cache the service uses by default, so the classifier is trained once."""


@pytest.fixture(scope="session")
def company_profile() -> CompanyProfile:
    return CompanyProfile.from_yaml(None)


@pytest.fixture(scope="session")
def input_screen() -> InputScreen:
    """Trains the classifier on first use; later sessions load it from the cache."""
    return InputScreen(cache_dir=MODEL_CACHE)


@pytest.fixture(scope="session")
def output_check(redactor: Redactor, company_profile: CompanyProfile) -> OutputCheck:
    """Trains the meaning model on first use; later sessions load it from the cache."""
    return OutputCheck(redactor, company_profile, TEST_CANARY, cache_dir=MODEL_CACHE)
