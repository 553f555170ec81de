"""The English interface reads dates as the Vietnamese one does (day/month/year): the
portal's documents are Vietnamese, and a date typed in English must not mean another day."""

from cluster_portal.formats.vi.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

__all__ = ["DATETIME_INPUT_FORMATS", "DATE_INPUT_FORMATS"]
