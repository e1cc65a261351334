"""Snapshot stage: read a dataset snapshot from disk and hand on a validated, frozen model."""

from publisher.snapshot.load import load_snapshot
from publisher.snapshot.model import (
    FACTORS,
    VERDICTS,
    Analyst,
    Brand,
    Factor,
    Judgement,
    RangeCall,
    SeriesSpec,
    Snapshot,
)

__all__ = [
    "FACTORS",
    "VERDICTS",
    "Analyst",
    "Brand",
    "Factor",
    "Judgement",
    "RangeCall",
    "SeriesSpec",
    "Snapshot",
    "load_snapshot",
]
