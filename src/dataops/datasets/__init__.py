"""Datasets: what to extract from a source into the lake, its runs, schedules and quarantine."""
