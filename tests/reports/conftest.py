"""Fixtures for the reports tests (``covenant_for``, ``plan_for``: ``tests/helpers.py``)."""

import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def past():
    return timezone.now() - datetime.timedelta(days=3)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the overview's content is cached."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
