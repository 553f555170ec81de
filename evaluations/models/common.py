"""Shared field settings of the evaluation's models."""

POINTS = {"max_digits": 7, "decimal_places": 2}
