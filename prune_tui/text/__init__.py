"""Wording: counts, durations, evidence lines, summaries and the one text sanitiser.
Pure functions over plain values: no storage, no Textual."""
