"""Fixtures for the claims tests: one spaCy pipeline per test session."""

from __future__ import annotations

import pytest

from claims.temporal import get_nlp


@pytest.fixture(scope="session")
def nlp():
    return get_nlp()
