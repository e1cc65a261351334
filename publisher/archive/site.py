"""Archive: a static HTML index of the archive — no server, no external assets.

    DIR/index.html                            every report, newest date first; a search box
    DIR/site/<report>/<as_of>.html            one date: its revisions, newest first
    DIR/site/thumbs/<report>/<as_of>/r<n>.png the first page of a revision's PDF
    DIR/site/search.json, search.js           what each revision printed, for the search box

Links are relative, so the archive folder works from file://, a share or any static server.
The one script (index.html's search box, publisher/archive/site_search.py) is inline and
optional: with JavaScript off the pages are the same lists, without the box.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment
from markupsafe import Markup

from publisher import atomic
from publisher.archive import site_search
from publisher.archive.index import Row
from publisher.archive.manifest import MANIFEST_NAME, Manifest
from publisher.archive.store import Archive

SITE = "site"
THUMB_DPI = 30  # an A4 page becomes about 250 × 350 pixels
KINDS = {"pdf": "PDF", "pptx": "演示文稿"}

CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", sans-serif; margin: 2rem auto; max-width: 64rem; color: #222;
       padding: 0 1rem; }
h1 { color: #1F3864; margin-bottom: .2rem; }
h2 { color: #1F3864; border-bottom: 2px solid #1F3864; padding-bottom: .2rem; }
h2 small, .muted { color: #777; font-weight: normal; font-size: .8em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd;
         vertical-align: middle; }
th { background: #f3f5f9; }
td:first-child { width: 90px; }
img.thumb { width: 84px; border: 1px solid #ccc; display: block; }
.nothumb { width: 84px; height: 119px; border: 1px dashed #ccc; display: block; }
a { color: #2E75B6; }
a.file { margin-right: .8rem; }
.badge { background: #C00000; color: #fff; border-radius: 3px; padding: 0 .35rem;
         font-size: .8em; }
.revision { display: flex; gap: 1.2rem; border-bottom: 1px solid #ddd; padding: 1rem 0; }
.revision img.thumb { width: 168px; }
code { font-size: .85em; color: #555; }
"""

INDEX = """<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>报告档案</title><style>{{ css }}{{ search_css }}</style></head>
<body>
<h1>报告档案</h1>
<p class="muted">{{ days }} 期报告，{{ revisions }} 个版本
{%- if newest %}，最新 {{ newest }}{% endif %}</p>
{{ search_box }}
{% for report in reports %}
<section class="report" id="{{ report.id }}">
<h2>{{ report.title }} <small>{{ report.id }}</small></h2>
<table class="dates">
<thead><tr><th>首页</th><th>日期</th><th>版本</th><th>分析师</th><th>文件</th></tr></thead>
<tbody>
{% for day in report.days %}
{% set rev = day.latest %}
<tr>
<td><a href="{{ day.page }}">{{ thumb(rev, "") }}</a></td>
<td><a class="date" href="{{ day.page }}">{{ day.as_of }}</a></td>
<td>r{{ rev.row.revision }}
{%- if rev.row.correction %} <span class="badge">更正</span>{% endif %}
{%- if day.count > 1 %} <span class="muted">共 {{ day.count }} 版</span>{% endif %}</td>
<td>{{ rev.row.analyst_name }}</td>
<td>{{ links(rev.files, "") }}</td>
</tr>
{% endfor %}
</tbody>
</table>
</section>
{% endfor %}
{{ search_script }}
</body>
</html>
"""

DAY = """<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ title }} {{ as_of }}</title><style>{{ css }}</style></head>
<body>
<p><a class="back" href="../../index.html">← 报告档案</a></p>
<h1>{{ title }} <span class="muted">{{ report_id }} · {{ as_of }}</span></h1>
<h2>版本记录</h2>
{% for rev in revisions %}
{% set row = rev.row %}
<div class="revision" id="r{{ row.revision }}">
{{ thumb(rev, prefix) }}
<div>
<h3>r{{ row.revision }}
{%- if row.correction %} <span class="badge">更正</span>
<span class="muted">更正 r{{ row.revision - 1 }}</span>{% endif %}</h3>
<p>分析师：{{ row.analyst_name }} · 版式 {{ row.layout }} · publisher {{ row.package_version }}</p>
<p>{{ links(rev.files, prefix) }}
<a class="file manifest" href="{{ prefix }}{{ rev.manifest }}">manifest.json</a></p>
<p class="muted">数据快照 <code>{{ row.identity[:16] }}</code>：{{ links(rev.inputs, prefix) }}</p>
</div>
</div>
{% endfor %}
</body>
</html>
"""

THUMB = """{% if rev.thumb %}<img class="thumb" src="{{ prefix }}{{ rev.thumb }}" \
alt="{{ rev.row.as_of }} r{{ rev.row.revision }} 第 1 页">{% else %}\
<span class="nothumb"></span>{% endif %}"""

LINKS = """{% for f in files %}<a class="file {{ f.kind }}" href="{{ prefix }}{{ f.href }}">\
{{ f.label }}</a>{% endfor %}"""


@dataclass(frozen=True)
class Link:
    label: str
    href: str  # relative to the archive folder; pages add their own prefix
    kind: str


@dataclass(frozen=True)
class Revision:
    row: Row
    files: tuple[Link, ...]
    inputs: tuple[Link, ...]
    manifest: str
    thumb: str | None


@dataclass(frozen=True)
class Day:
    as_of: str
    page: str
    revisions: tuple[Revision, ...]  # newest first

    @property
    def latest(self) -> Revision:
        return self.revisions[0]

    @property
    def count(self) -> int:
        return len(self.revisions)


@dataclass(frozen=True)
class Written:
    index: Path
    pages: int
    thumbnails: int  # made this time; earlier ones are kept (revisions never change)
    no_thumbnails: bool  # pdftoppm is missing
    no_search: bool = False  # the index has no search tables: the box says to reindex


def write_site(archive: Archive) -> Written:
    """Write index.html and a page per report and date into the archive folder."""
    with archive.locked(shared=True):
        checked = archive.checked_rows()  # never a row that disagrees with its folder
        rows = [row for row, _ in checked]
        manifests = {row.folder: manifest for row, manifest in checked}
        with archive.index() as db:
            texts = site_search.texts(db)  # what `archive search` searches
    pdftoppm = shutil.which("pdftoppm")
    made = 0
    revisions = []
    for row in rows:
        thumb, new = _thumbnail(archive, row, manifests[row.folder], pdftoppm)
        made += new
        revisions.append(_revision(row, manifests[row.folder], thumb))
    env = _environment()
    reports = []
    for report_id, group in groupby(revisions, key=lambda r: r.row.report_id):
        days = [
            Day(as_of, f"{SITE}/{quote(report_id)}/{as_of}.html", tuple(revs))
            for as_of, revs in groupby(group, key=lambda r: r.row.as_of.isoformat())
        ]
        reports.append({"id": report_id, "title": days[0].latest.row.title, "days": days})
        for day in days:
            _write(
                archive.root / day.page,
                env.from_string(DAY).render(
                    title=day.latest.row.title,
                    report_id=report_id,
                    as_of=day.as_of,
                    revisions=day.revisions,
                    prefix="../../",
                ),
            )
    everyday = [day for report in reports for day in report["days"]]
    entries = _search_entries(revisions, texts or {})
    for name, text in site_search.files(entries, texts is not None).items():
        _write(archive.root / SITE / name, text)  # before index.html, which loads search.js
    index = archive.root / "index.html"
    _write(
        index,
        env.from_string(INDEX).render(
            reports=reports,
            days=len(everyday),
            revisions=len(rows),
            newest=max((day.as_of for day in everyday), default=None),
            search_box=site_search.BOX,
            search_script=Markup(site_search.SCRIPT),
            search_css=Markup(site_search.CSS),
        ),
    )
    return Written(index, len(everyday), made, pdftoppm is None, texts is None)


def _search_entries(
    revisions: list[Revision], texts: dict[site_search.Key, str]
) -> list[site_search.Entry]:
    """One entry a revision, in the order `archive search` lists its hits: newest date
    first, then by report, newest revision first."""
    ordered = sorted(revisions, key=lambda r: r.row.revision, reverse=True)
    ordered.sort(key=lambda r: r.row.report_id)
    ordered.sort(key=lambda r: r.row.as_of, reverse=True)
    return [
        site_search.Entry(
            report_id=r.row.report_id,
            title=r.row.title,
            as_of=r.row.as_of.isoformat(),
            revision=r.row.revision,
            correction=r.row.correction,
            page=f"{SITE}/{quote(r.row.report_id)}/{r.row.as_of.isoformat()}.html"
            f"#r{r.row.revision}",
            files=tuple(site_search.File(f.label, f.href) for f in r.files),
            text=texts.get((r.row.report_id, r.row.as_of.isoformat(), r.row.revision), ""),
        )
        for r in ordered
    ]


def _environment() -> Environment:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    thumb, links = env.from_string(THUMB), env.from_string(LINKS)
    env.globals.update(
        css=Markup(CSS),
        thumb=lambda rev, prefix: Markup(thumb.render(rev=rev, prefix=prefix)),
        links=lambda files, prefix: Markup(links.render(files=files, prefix=prefix)),
    )
    return env


def _revision(row: Row, manifest: Manifest, thumb: str | None) -> Revision:
    base = f"{row.folder}/"
    files = tuple(
        Link(
            KINDS.get(entry.role, entry.role.upper()),
            base + quote(entry.path),
            entry.role,
        )
        for entry in manifest.outputs
    )
    inputs = tuple(Link(Path(e.path).name, base + quote(e.path), e.role) for e in manifest.inputs)
    return Revision(row, files, inputs, base + MANIFEST_NAME, thumb)


def _thumbnail(
    archive: Archive, row: Row, manifest: Manifest, pdftoppm: str | None
) -> tuple[str | None, bool]:
    """The site-relative path of the first page as PNG, made if missing; None without one."""
    pdf = next((e for e in manifest.outputs if e.role == "pdf"), None)
    relative = f"{SITE}/thumbs/{row.report_id}/{row.as_of.isoformat()}/r{row.revision}.png"
    target = archive.root / relative
    if target.is_file():
        return relative, False
    if pdf is None or pdftoppm is None:
        return None, False
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = target.with_name(f".{target.stem}.{secrets.token_hex(4)}")
    made = prefix.with_name(prefix.name + ".png")  # pdftoppm adds the suffix itself
    command = [pdftoppm, "-r", str(THUMB_DPI), "-png", "-f", "1", "-l", "1", "-singlefile"]
    try:
        subprocess.run(
            [*command, str(archive.path_of(row) / pdf.path), str(prefix)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        os.replace(made, target)
    except (OSError, subprocess.SubprocessError):
        made.unlink(missing_ok=True)
        return None, False  # a page without its picture is still a usable index
    return relative, True


def _write(path: Path, text: str) -> None:
    """Write beside, then rename: a browser never loads half a page."""
    atomic.write_atomically(path, text.encode("utf-8"))
