"""Layout stage: section titles written as templates, printing figures as the tables print them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2

from publisher.errors import LayoutError
from publisher.metrics.figures import Figure

# The views' own environment: the same filters (magnitude, profit_word, premium_word) and
# StrictUndefined, so a title and a view word a figure alike and a typo stops the build.
from publisher.metrics.narrative import FIGURE_REFERENCE, template_environment


@dataclass(frozen=True)
class Title:
    """A title as printed, and the sources of the figures it prints."""

    text: str
    sources: tuple[str, ...] = ()


def render_title(
    title: str,
    figures: Mapping[str, Figure],
    day: str,
    layout: Path,
    where: str,
) -> Title:
    """`title` with its figures filled in: `{{ f.si_inv_social.text.current }}` prints 58.2,
    the very string the overview table prints. Plain text comes back as it is."""
    if "{{" not in title and "{%" not in title:
        return Title(title)
    environment = template_environment((layout.parent / "templates",))
    try:
        text = environment.from_string(title).render(f=figures, day=day)
    except jinja2.UndefinedError as exc:
        raise LayoutError(
            layout,
            f"{where} title uses an undefined figure ({exc.message})",
            "use a series id from the catalog or a table row id",
        ) from None
    except jinja2.TemplateError as exc:
        raise LayoutError(
            layout, f"{where} title is not a valid template ({exc.message})", "fix the template"
        ) from None
    keys = [key for key in dict.fromkeys(FIGURE_REFERENCE.findall(title)) if key in figures]
    sources = tuple(dict.fromkeys(s for key in keys for s in figures[key].sources))
    return Title(" ".join(text.split()), sources)
