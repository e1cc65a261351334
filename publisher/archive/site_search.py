"""Archive site: the search box — a JSON index of what each revision printed, and the inline
script on index.html that searches it in the browser.

    DIR/site/search.json   {"format", "searchable", "revisions": [...]}: for other tools
    DIR/site/search.js     the same data as `window.SEARCH_INDEX = …;`, which index.html loads
                           with <script src> (Chromium refuses fetch() of file:// URLs)

The text is the index's (`archive search` reads the same), never extracted again from a PDF.
Both files are written with sorted keys and no clock: the same archive gives the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from markupsafe import Markup

from publisher.archive.index import Index
from publisher.archive.search import SNIPPET

FORMAT = 1
JSON_NAME = "search.json"
SCRIPT_NAME = "search.js"
SHOWN = 200  # results listed at most; the count says how many matched

Key = tuple[str, str, int]  # report, ISO date, revision


@dataclass(frozen=True)
class File:
    label: str
    href: str  # relative to the archive folder, as index.html links it


@dataclass(frozen=True)
class Entry:
    """One revision as the search box knows it."""

    report_id: str
    title: str
    as_of: str
    revision: int
    correction: bool  # 更正
    page: str  # its date's page, at this revision
    files: tuple[File, ...]
    text: str  # '' when its stored snapshot no longer loaded


def texts(index: Index) -> dict[Key, str] | None:
    """The printed text of every revision the index holds content for, by key; None if the
    index has no search tables (made before them, or an SQLite without trigram)."""
    if not index.searchable:
        return None
    # An empty text is held by every body: the index's own search, unfiltered.
    return {
        (row.report_id, row.as_of.isoformat(), row.revision): body for row, body in index.search("")
    }


def payload(entries: list[Entry], searchable: bool) -> str:
    """The JSON text: keys sorted, entries in the order given, no whitespace to vary."""
    data = {
        "format": FORMAT,
        "searchable": searchable,
        "revisions": [asdict(entry) for entry in entries],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def script(data: str) -> str:
    """search.js: the JSON as a script a page loads from file:// as well as from a server."""
    return f"window.SEARCH_INDEX = {data};\n"


# Hidden until the script runs: with JavaScript off the page is the lists alone, no dead box.
# The script builds every result with textContent and <mark> nodes, never innerHTML.
BOX = Markup(
    """<form id="search" role="search" hidden>
<label for="search-box">搜索</label>
<input type="search" id="search-box" autocomplete="off" placeholder="报告中的文字，如 社会库存">
<p id="search-status" class="muted" aria-live="polite"></p>
<ol id="search-results"></ol>
</form>
"""
)

CSS = """
#search { margin: 1rem 0 1.5rem; }
#search label { font-weight: bold; margin-right: .5rem; }
#search-box { width: 24rem; max-width: 80%; padding: .3rem .5rem; font-size: 1rem; }
#search-results { padding-left: 1.4rem; }
#search-results li { margin: .5rem 0; }
#search-results .badge, #search-results a.file { margin-left: .6rem; margin-right: 0; }
#search-results .snippet { display: block; color: #444; font-size: .9em; }
mark { background: #FFE699; }
"""

SCRIPT = """<script src="site/@SCRIPT_NAME@"></script>
<script>
(function () {
  var data = window.SEARCH_INDEX, form = document.getElementById("search");
  if (!data || !form) return;
  var box = document.getElementById("search-box");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var SNIPPET = @SNIPPET@, SHOWN = @SHOWN@;
  var flat = function (s) { return s.split(/\\s+/).filter(Boolean).join(" "); };
  var entries = data.revisions.map(function (e) { return [e, flat(e.text)]; });
  var escaped = function (s) { return s.replace(/[.*+?^${}()|[\\]\\\\]/g, "\\\\$&"); };
  var add = function (parent, tag, text, cls) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    parent.appendChild(node);
    return node;
  };
  var show = function () {
    var query = flat(box.value);
    list.textContent = "";
    status.textContent = "";
    if (!query) return;
    if (!data.searchable) {
      status.textContent = "搜索索引缺失：请运行 publisher archive reindex";
      return;
    }
    var pattern = new RegExp(escaped(query), "i"), found = 0;
    entries.forEach(function (pair) {
      var e = pair[0], text = pair[1], match = pattern.exec(text);
      if (!match) return;
      found += 1;
      if (found > SHOWN) return;
      var at = match.index, end = at + match[0].length;
      var start = Math.max(at - SNIPPET, 0), stop = Math.min(end + SNIPPET, text.length);
      var item = add(list, "li", "", "hit");
      add(item, "a", e.title, "report").href = e.page;
      add(item, "span", " " + e.report_id + " ", "muted");
      add(item, "span", e.as_of + " r" + e.revision, "when");
      if (e.correction) add(item, "span", "更正", "badge");
      e.files.forEach(function (f) { add(item, "a", f.label, "file").href = f.href; });
      var snippet = add(item, "span", "", "snippet");
      snippet.appendChild(document.createTextNode(
        (start ? "…" : "") + text.slice(start, at)));
      add(snippet, "mark", text.slice(at, end));
      snippet.appendChild(document.createTextNode(
        text.slice(end, stop) + (stop < text.length ? "…" : "")));
    });
    status.textContent = !found ? "无匹配结果"
      : found > SHOWN ? found + " 个版本匹配，显示前 " + SHOWN + " 个"
      : found + " 个版本匹配";
  };
  box.addEventListener("input", show);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  show();
})();
</script>
"""
for _name, _value in (("SCRIPT_NAME", SCRIPT_NAME), ("SNIPPET", SNIPPET), ("SHOWN", SHOWN)):
    SCRIPT = SCRIPT.replace(f"@{_name}@", str(_value))


def files(entries: list[Entry], searchable: bool) -> dict[str, str]:
    """The site folder's search files by name, with their text."""
    data = payload(entries, searchable)
    return {JSON_NAME: data + "\n", SCRIPT_NAME: script(data)}
