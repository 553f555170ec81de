"""Ballots: one module per concept."""
