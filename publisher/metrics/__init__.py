"""Metrics stage: every figure the report prints, computed once and formatted once."""
