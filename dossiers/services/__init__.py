"""Dossiers: one module per concept."""
