"""The bar charts moved to ``cluster_portal.charts`` (the reports and the evaluations' results
draw them); re-exported here so that the reports' imports keep working."""

from cluster_portal.charts import BAR_AREA, BAR_HEIGHT, LABEL_WIDTH, Bar, BarChart, bar_chart

__all__ = ["BAR_AREA", "BAR_HEIGHT", "LABEL_WIDTH", "Bar", "BarChart", "bar_chart"]
