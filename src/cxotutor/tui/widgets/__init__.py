"""Reusable widgets: heatmap, bar charts, key-point feedback, rating bar, countdown."""
