"""Readers for each file of a LinkedIn export."""
