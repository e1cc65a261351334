"""Metrics stage: today's highlights (今日要点) — the figures whose latest move is most unusual."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from publisher.metrics import formatting as fmt
from publisher.metrics.figures import Figure
from publisher.metrics.overview import OverviewTable
from publisher.snapshot.model import Snapshot

DEFAULT_COUNT = 5
# A move is judged against about a year of its own moves at its own frequency; fewer past
# moves than MIN_PAST give no stable sense of what is usual.
WINDOW = {"daily": 250, "weekly": 52, "monthly": 12}
MIN_PAST = 12
# "为近N周最大降幅" only when the run is long enough to be news, and never past a year.
MIN_RUN = {"daily": 20, "weekly": 8, "monthly": 6}
PERIOD = {"daily": "个交易日", "weekly": "周", "monthly": "个月"}


@dataclass(frozen=True)
class Highlight:
    """One sentence of 今日要点, from the very strings the overview tables print."""

    key: str
    text: str
    score: float  # |latest move − median move| / MAD of past moves
    sources: tuple[str, ...]


def highlights(
    snapshot: Snapshot,
    tables: Iterable[OverviewTable],
    products: Sequence[str] = (),
    count: int = DEFAULT_COUNT,
) -> tuple[Highlight, ...]:
    """The `count` table figures of `products` (all when empty) whose latest move stands out
    most against their own history of moves; stale ones left out, ties in catalog order."""
    order = {key: n for n, key in enumerate(snapshot.catalog)}
    seen: dict[str, Highlight] = {}
    for table in tables:
        if products and table.product not in products:
            continue
        for fig in table.rows:
            if fig.key in seen or fig.key not in order or fig.stale or fig.change is None:
                continue
            found = _highlight(snapshot, fig)
            if found is not None:
                seen[fig.key] = found
    ranked = sorted(seen.values(), key=lambda h: (-h.score, order[h.key]))
    return tuple(ranked[:count])


def moves(snapshot: Snapshot, fig: Figure, last: int | None = None) -> np.ndarray:
    """The series' moves from one observation to the next, on its printed (rounded) values,
    so "largest" is judged on the digits a reader sees; the `last` ones only, when given."""
    values = snapshot.series(fig.key).dropna().to_numpy(dtype=float)
    if last is not None:  # rounding a daily series' whole history costs more than the rest
        values = values[-(last + 1) :]
    printed = np.array([fmt.rounded(float(v), fig.decimals) for v in values])
    return np.round(np.diff(printed), fig.decimals)


def unusualness(changes: np.ndarray, frequency: str) -> float | None:
    """How far the latest move is from the usual one, in median absolute deviations of the
    past year's moves: robust to the odd spike in the history, unlike a standard deviation.
    None without enough history, or when past moves never varied (no scale to judge by)."""
    past = changes[:-1][-WINDOW[frequency] :]
    if len(past) < MIN_PAST:
        return None
    centre = float(np.median(past))
    spread = float(np.median(np.abs(past - centre)))
    if spread == 0:
        return None
    return round(abs(float(changes[-1]) - centre) / spread, 6)  # rounded: ties stay ties


def record_run(changes: np.ndarray, frequency: str) -> int:
    """How many periods back the latest move is the largest in its direction (itself
    included), capped at a year; 0 when it is flat."""
    latest = float(changes[-1])
    if latest == 0:
        return 0
    run = 1
    for earlier in changes[-2::-1]:
        if earlier * latest > 0 and abs(earlier) >= abs(latest):
            break
        run += 1
    return min(run, WINDOW[frequency])


def sentence(fig: Figure, run: int) -> str:
    """周度社会库存58.2万吨，环比-2.84%，为近52周最大降幅 — the table's strings, and the
    record only when it holds over a run long enough to say."""
    level = f"{fig.name}{fig.text.current}{fig.unit}{fig.text.when}"
    if fig.text.pct != fmt.DASH:
        move = f"环比{fig.text.pct}"
    else:  # across or from zero a % change means nothing: the 涨跌 column's figure
        move = f"较前值{fig.text.change}{fig.unit}"
    text = f"{level}，{move}"
    if fig.change and run >= MIN_RUN[fig.frequency]:
        word = "增幅" if fig.change > 0 else "降幅"
        text += f"，为近{run}{PERIOD[fig.frequency]}最大{word}"
    return text


def _highlight(snapshot: Snapshot, fig: Figure) -> Highlight | None:
    # a year of past moves and the latest are all that judging and the record run read
    changes = moves(snapshot, fig, WINDOW[fig.frequency] + 1)
    if len(changes) == 0:
        return None
    score = unusualness(changes, fig.frequency)
    if score is None:
        return None
    text = sentence(fig, record_run(changes, fig.frequency))
    return Highlight(fig.key, text, score, fig.sources)
