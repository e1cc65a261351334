"""Charts stage: the processes that draw, started before the chart data exists, and the
artwork they hand back as each chart is done.

A build forks its drawing workers first thing, so they import matplotlib while this process
loads the snapshot; it then lays the pages out while they draw, and waits only where a page
is composed. Nothing here imports matplotlib: a build that draws nothing never loads it.
"""

from __future__ import annotations

import dataclasses
import gc
import pickle
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType
from typing import Any, Generic

from publisher.charts.artwork import ArtworkT, Drawn, PrintArtwork, aspect_of
from publisher.charts.fonts import missing_glyphs, stock_up
from publisher.charts.model import FITTED, ChartData
from publisher.errors import EnvironmentFailure, LayoutError
from publisher.snapshot.model import Brand
from publisher.workers import ClonePool, shared_start_pool

CHROME_TEXT = "数据来源：，暂无数据"  # what may print besides the chart's own text
FORMATS = ("pdf", "png")


class Drawing(Mapping[str, ArtworkT], Generic[ArtworkT]):
    """Each chart's artwork by chart id, in the order given; reading one waits until it is
    drawn. A chart's size, and so its aspect, is known before: pages are laid out meanwhile."""

    def __init__(self, charts: Sequence[ChartData], futures: Sequence[Future[ArtworkT]]) -> None:
        self._futures: dict[str, Future[ArtworkT]] = {
            c.id: f for c, f in zip(charts, futures, strict=True)
        }
        self._sizes = {c.id: c.size for c in charts}
        self._kinds = {c.id: c.kind for c in charts}
        self.waited = 0.0  # seconds spent here waiting for workers (publisher build --timings)

    def __getitem__(self, chart_id: str) -> ArtworkT:
        future = self._futures[chart_id]
        start = time.perf_counter()
        try:
            return future.result()
        except BrokenProcessPool:
            raise _broken(chart_id) from None
        finally:
            self.waited += time.perf_counter() - start

    def __iter__(self) -> Iterator[str]:
        return iter(self._futures)

    def __len__(self) -> int:
        return len(self._futures)

    def aspect(self, chart_id: str) -> float | None:
        """Height over width of the chart's artwork, known before it is drawn; None for a
        table, whose artwork is cut to its rows (read it from the artwork), and for a chart
        not drawn here."""
        return aspect_of(self._kinds.get(chart_id), self._sizes.get(chart_id))

    def fitted(self) -> tuple[str, ...]:
        """The charts whose aspect only their artwork tells (drawn first)."""
        return tuple(i for i, kind in self._kinds.items() if kind in FITTED)

    def drawn(self, chart_ids: Sequence[str] | None = None) -> Drawn[ArtworkT]:
        """The artwork of `chart_ids` (default: every chart), once drawn, as plain data a
        renderer in another process can read; it knows every chart's aspect as this does."""
        wanted = tuple(self._futures) if chart_ids is None else chart_ids
        return Drawn({i: self[i] for i in wanted}, self._sizes, self._kinds)


class ChartPool:
    """`jobs` drawing processes, started at once (with jobs ≤ 1: drawing in this process, as
    each chart is asked for). Use as a context manager: leaving it stops the workers, and
    drops what is still queued when the build failed."""

    def __init__(self, jobs: int) -> None:
        self._pool: ClonePool | Executor | None = None
        if jobs > 1:  # the second worker is forked from the first once it loaded matplotlib
            self._pool = shared_start_pool(jobs, _start_worker)

    def __enter__(self) -> ChartPool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=error is not None)

    def workers(self) -> tuple[int, ...]:
        """The drawing processes' ids, once every one has started (none: drawing here)."""
        if isinstance(self._pool, ClonePool):
            return self._pool.pids()
        return tuple(getattr(self._pool, "_processes", None) or ())  # elsewhere than Linux

    def draw(
        self,
        charts: Sequence[ChartData],
        brand: Brand,
        form: str = "pdf",
        titled: bool = False,
        where: Path | str = "chart catalog",
    ) -> Drawing[bytes]:
        """Start drawing `charts` as PDF or PNG files; `where` names the catalog in errors."""
        if form not in FORMATS:
            raise ValueError(f"chart format {form!r}: use one of {', '.join(FORMATS)}")
        return self._start(charts, brand, form, titled, where)

    def draw_for_print(
        self, charts: Sequence[ChartData], brand: Brand, where: Path | str = "chart catalog"
    ) -> Drawing[PrintArtwork]:
        """Start drawing `charts` for the PDF renderer: drawings with their text set aside."""
        return self._start(charts, brand, "print", False, where)

    def _start(
        self, charts: Sequence[ChartData], brand: Brand, form: str, titled: bool, where: Path | str
    ) -> Drawing[Any]:
        _refuse_missing_glyphs(where, charts)
        text = "".join(c.text for c in charts) + CHROME_TEXT
        stock_up(text)  # cut the fonts once, here, so that every worker finds them cut
        brand = as_charts_see_it(brand)
        if self._pool is None:
            return Drawing(charts, [_Lazy(c, brand, form, titled) for c in charts])
        # those whose size only drawing tells go first: the layout waits for them alone
        first = sorted(charts, key=lambda c: c.kind not in FITTED)
        futures = {}
        for chart in first:
            try:
                futures[chart.id] = self._pool.submit(draw_one, chart, brand, form, titled, text)
            except BrokenProcessPool:
                raise _broken(chart.id) from None
        return Drawing(charts, [futures[c.id] for c in charts])


def draw_one(
    chart: ChartData, brand: Brand, form: str, titled: bool, stock: str
) -> bytes | PrintArtwork:
    """A worker's task: one chart's artwork. `stock` is every character the build's charts
    print: the fonts are cut to it once per process."""
    from publisher.charts.render import render

    stock_up(stock)
    return render(chart, brand, form, titled)


def as_charts_see_it(brand: Brand) -> Brand:
    """The brand a chart is drawn with: its colours and number rule. The firm's texts, logo,
    template and analysts are the pages'; blanked, they neither travel to the workers nor
    make two equal charts differ (a published revision's brand points into its folder), and
    what is left pickles (the analysts' read-only mapping would not)."""
    return dataclasses.replace(
        brand, firm="", licence="", disclaimer="", logo=None, analysts={}, template=None
    )


class _Lazy(Future[Any]):
    """A chart drawn in this process only when its artwork is read (jobs ≤ 1)."""

    def __init__(self, chart: ChartData, brand: Brand, form: str, titled: bool) -> None:
        super().__init__()
        self._task = (chart, brand, form, titled)

    def result(self, timeout: float | None = None) -> Any:
        if not self.done():
            self.set_result(_drawn_once(self._task))
        return super().result(timeout)


# The charts this process drew last, by their whole task (data, brand, form): a batch worker
# publishes day after day, and a weekly, monthly or seasonal chart is the same chart until
# its next observation (16 of the sample's 55 from one day to the next).
_DRAWN: OrderedDict[bytes, Any] = OrderedDict()
KEPT = 128  # about two reports' charts: ~4 MB


def _drawn_once(task: tuple[ChartData, Brand, str, bool]) -> Any:
    """The task's chart, drawn here unless this process drew the very same chart lately:
    drawing is deterministic, so the artwork kept is the artwork it would draw."""
    key = pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)
    if key in _DRAWN:
        _DRAWN.move_to_end(key)
        return _DRAWN[key]
    from publisher.charts.render import render

    drawn = _DRAWN[key] = render(*task)
    if len(_DRAWN) > KEPT:
        _DRAWN.popitem(last=False)
    return drawn


def _broken(chart_id: str) -> EnvironmentFailure:
    return EnvironmentFailure(
        f"chart '{chart_id}'",
        "a process drawing the charts ended abruptly (killed, or out of memory)",
        "run the build again; if it happens again, free memory on this machine",
    )


def _start_worker() -> None:
    # matplotlib loads here, while the parent still loads the snapshot; frozen, what is
    # loaded is left out of the worker's collections, which would otherwise walk it again
    # and again (and copy the pages it shares with the parent).
    import publisher.charts.render  # noqa: F401

    gc.freeze()


def _refuse_missing_glyphs(where: Path | str, charts: Sequence[ChartData]) -> None:
    for chart in charts:
        missing = missing_glyphs(chart.text)
        if missing:
            raise LayoutError(
                where,
                f"chart '{chart.id}' prints {missing!r}, which the house font cannot draw",
                "use another character in the title or labels (or a font that has it)",
            )
