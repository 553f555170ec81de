"""Views of the year-end evaluation, one module per concept."""
