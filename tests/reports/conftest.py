"""Fixtures for the reports tests (``covenant_for``, ``plan_for``: ``tests/helpers.py``)."""

import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def past():
    return timezone.now() - datetime.timedelta(days=3)
