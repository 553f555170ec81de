"""Writes of the year-end evaluation, one module per concept. Every function runs in a
transaction, checks permission and phase, validates, records an audit event and sends mail
after the commit."""

from evaluations.services.common import assessments_create, evaluation_create

__all__ = ["assessments_create", "evaluation_create"]
