"""Bulletins: targeted information sharing as CAP 1.2 alerts."""
