"""HTML: a safe, self-contained page for any tables, and the four-column report of a dossier.

Every text is escaped (``<script>`` in a provision shows as text), control and bidirectional characters
are shown as escapes, and a Content-Security-Policy allows only the page's own style and script (by
hash), so nothing is fetched and nothing injected could run even if an escape were missed. The files
work from ``file://`` and print cleanly.

>>> from negotiation.tables import make_table
>>> page = render_html([make_table("t", "T", ["a"], [["<b>"]])])
>>> "&lt;b&gt;" in page and "<b>" not in page
True
"""

from __future__ import annotations

import base64
import hashlib
import html as _html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from negotiation.engine.attestation import MEANINGS
from negotiation.engine.model import breakdown_text
from negotiation.export.common import CATEGORY_NAMES, cell_categories, row_categories
from negotiation.render import cell_text, inert
from negotiation.tables import Table
from negotiation.words import counted

if TYPE_CHECKING:
    from negotiation.engine.model import Comparison, Matrix
    from negotiation.export.report import CellView, ProvisionView, Report
    from negotiation.loading import LoadedDossier

#: What each category means, shown in every legend.
CATEGORY_HELP = {
    "overlap": "both sides put compatible commitments on the table",
    "rejection": "one side proposes or reaffirms, the other rejects or reaffirms the opposite",
    "open": "still to negotiate: an offer to talk, a counter, a condition, or no answer",
    "none": "no verdict: the position tables the item, or says nothing on it",
}

_CSS = """
:root { --overlap: #d7efd9; --overlap-edge: #2e7d32; --rejection: #f9d6d5; --rejection-edge: #b3261e;
  --open: #fff0c2; --open-edge: #8a6100; --none: #f1f1f1; --none-edge: #8c8c8c; --ink: #1b1b1b; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink);
  margin: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
.meta, .note, footer { color: #4a4a4a; font-size: .9rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #c9c9c9; padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #ececec; position: sticky; top: 0; z-index: 1; }
.cat-overlap { background: var(--overlap); }
.cat-rejection { background: var(--rejection); }
.cat-open { background: var(--open); }
.cat-none { background: var(--none); }
.cat-label { display: inline-block; font-weight: 600; font-size: .8rem; text-transform: uppercase;
  letter-spacing: .03em; padding: 0 .3rem; border-radius: 3px; border: 1px solid; background: #fff; }
.cat-overlap .cat-label, .cat-label.cat-overlap { color: var(--overlap-edge); }
.cat-rejection .cat-label, .cat-label.cat-rejection { color: var(--rejection-edge); }
.cat-open .cat-label, .cat-label.cat-open { color: var(--open-edge); }
.cat-none .cat-label, .cat-label.cat-none { color: var(--none-edge); }
.legend { display: flex; flex-wrap: wrap; gap: .4rem 1rem; list-style: none; padding: 0; margin: .5rem 0; }
.legend li { padding: .2rem .5rem; border-radius: 4px; font-size: .9rem; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: flex-start; margin: 1rem 0;
  padding: .5rem .75rem; background: #fafafa; border: 1px solid #ddd; border-radius: 6px; }
.filters fieldset { border: 0; margin: 0; padding: 0; }
.filters legend { font-weight: 600; padding: 0; }
.filters label { margin-right: .6rem; white-space: nowrap; }
.filters select { max-width: 28rem; }
#filter-status { margin: 0; align-self: center; }
html { scroll-padding-top: 3rem; }
.matrix { width: 100%; table-layout: fixed; font-size: .85rem; line-height: 1.3; }
.matrix th, .matrix td { padding: .2rem .35rem; }
.matrix thead th { z-index: 2; }
.matrix th.issue-head { width: 15rem; left: 0; z-index: 3; }
.matrix tbody th { font-weight: normal; background: #fff; position: sticky; left: 0; z-index: 1; }
.matrix tbody th code { display: block; color: #555; font-size: .75em; word-break: break-all; }
.matrix tbody tr.depth-0 th { font-weight: 600; }
.matrix tbody tr.depth-1 th { padding-left: 1rem; }
.matrix tbody tr.depth-2 th { padding-left: 1.6rem; }
.colhead { font-size: .8rem; line-height: 1.25; }
.colhead .sub, .date-note { font-weight: normal; color: #555; }
.colhead .sub { display: block; }
.tentative, td.cell.tentative { background-image: repeating-linear-gradient(135deg, transparent 0 6px,
  rgba(0, 0, 0, .06) 6px 8px); }
.tentative-mark { font-size: .75rem; font-style: italic; border: 1px dashed #555; border-radius: 3px;
  padding: 0 .25rem; }
.tentative-reason { font-size: .8rem; font-style: italic; margin: .2rem 0; }
.breakdown { font-size: .8rem; color: #333; }
td.cell.dim { opacity: .35; }
a.verdict { color: inherit; text-decoration: none; display: block; }
a.verdict:hover, a.verdict:focus { text-decoration: underline; }
.status, .stance, .refs { font-size: .85em; }
.refs { color: #444; }
.refs::before { content: "· "; }
.stance { color: #444; font-style: italic; }
.attestation { font-weight: 700; margin-left: .2rem; }
.words { display: block; font-size: .8em; color: #333; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.words.paraphrase { font-style: italic; }
.header-line { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 1rem; }
.header-line .legend { margin: 0; }
.header-line .legend li { padding: 0 .4rem; font-size: .8rem; }
#annex { overflow-wrap: anywhere; }
.annex-issue > h3 { position: sticky; top: 0; z-index: 1; background: #fff; margin: 1rem 0 0; padding: .3rem 0;
  border-bottom: 1px solid #c9c9c9; font-size: 1.05rem; }
.annex-issue > h3 code, .back { font-size: .8rem; font-weight: normal; color: #555; }
.annex-cell { border-left: 4px solid var(--none-edge); padding: .1rem .7rem; margin: .6rem 0; }
.annex-cell.edge-overlap { border-left-color: var(--overlap-edge); }
.annex-cell.edge-rejection { border-left-color: var(--rejection-edge); }
.annex-cell.edge-open { border-left-color: var(--open-edge); }
.annex-cell h4 { margin: .2rem 0; font-size: .95rem; }
.annex-cell:target { outline: 2px solid #1a5fb4; outline-offset: 2px; }
.provision { border-top: 1px solid rgba(0,0,0,.15); padding-top: .3rem; margin-top: .3rem; }
.provision h5 { margin: 0; font-size: .85rem; }
.provision blockquote { margin: .2rem 0; padding-left: .5rem; border-left: 3px solid rgba(0,0,0,.3);
  white-space: pre-line; }
.text-status { font-size: .75rem; text-transform: uppercase; color: #555; margin: 0 0 .2rem; }
.rationale, .against, .summary, .notes, .sources { font-size: .8rem; margin: .2rem 0; }
.rationale { white-space: pre-line; }
.sources { padding-left: 1rem; overflow-wrap: anywhere; }
.missing { color: #666; font-style: italic; }
[hidden] { display: none !important; }
@media print {
  body { margin: 0; font-size: 8pt; }
  h1 { font-size: 12pt; }
  header .meta, header .legend li { font-size: 7pt; margin: 0; }
  .cat-label { font-size: 6.5pt; padding: 0 2px; }
  .filters, .no-print { display: none !important; }
  thead th, .matrix tbody th, .annex-issue > h3 { position: static; }
  .matrix { font-size: 7pt; line-height: 1.2; margin: .2rem 0; }
  .matrix th, .matrix td { padding: 1px 3px; }
  .matrix th.issue-head { width: 62mm; }
  .colhead { font-size: 7pt; }
  a { color: inherit; text-decoration: none; }
  tr, .provision, .annex-cell h4 { break-inside: avoid; }
  body:not(.print-annex) #annex { display: none; }
  #annex { font-size: 7.5pt; }
  #annex h2 { font-size: 11pt; }
  .annex-issue > h3 { font-size: 9pt; }
  .annex-cell h4, .provision h5, .text-status, .rationale, .against, .summary, .notes, .sources { font-size: 7.5pt; }
  .annex-cell { margin: .3rem 0; }
  #annex { break-before: page; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  @page { size: A4 landscape; margin: 10mm; }
}
""".strip()

_REPORT_SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var status = document.getElementById("filter-status");
  function ticked(name) {
    var out = {};
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) { out[box.value] = box.checked; });
    return out;
  }
  function within(code, chosen) { return !chosen || code === chosen || code.indexOf(chosen + ".") === 0; }
  function apply() {
    var cats = ticked("category"), parties = ticked("party"), chosen = form.elements.issue.value;
    document.querySelectorAll("#matrix [data-party]").forEach(function (el) {
      el.hidden = !parties[el.dataset.party];
    });
    var rows = document.querySelectorAll("#matrix tbody tr"), shown = 0;
    rows.forEach(function (row) {
      var any = false;
      row.querySelectorAll("td.cell").forEach(function (cell) {
        var on = cats[cell.dataset.category] === true;
        cell.classList.toggle("dim", !on);
        if (on && parties[cell.dataset.party]) { any = true; }
      });
      row.hidden = !(any && within(row.dataset.issue, chosen));
      if (!row.hidden) { shown += 1; }
    });
    document.querySelectorAll(".comparison tbody tr").forEach(function (row) {
      row.hidden = !(cats[row.dataset.category] && within(row.dataset.issue, chosen));
    });
    document.querySelectorAll(".comparison").forEach(function (section) {
      section.hidden = !(parties[section.dataset.leftParty] || parties[section.dataset.rightParty]);
    });
    document.body.classList.toggle("print-annex", form.elements["print-annex"].checked);
    status.textContent = "Showing " + shown + " of " + rows.length + " issues";
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
})();
""".strip()


def esc(text: str) -> str:
    """Escape text for HTML content or a quoted attribute; control and bidi characters become visible escapes.

    >>> esc('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return _html.escape(inert(text), quote=True)


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def page(title: str, body: str, script: str | None = None, *, body_class: str | None = None) -> str:
    """A complete HTML document: the house stylesheet, ``body`` (already escaped), and an optional script.

    The Content-Security-Policy names the stylesheet and the script by hash and forbids every fetch.
    """
    script_src = _digest(script) if script else "'none'"
    policy = (
        f"default-src 'none'; style-src {_digest(_CSS)}; script-src {script_src}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="negotiation">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        f'<body class="{esc(body_class)}">' if body_class else "<body>",
        body,
    ]
    if script:
        parts.append(f"<script>{script}</script>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _legend(keys: Sequence[str], *, brief: bool = False) -> str:
    # The brief legend (the report's header) names each category and keeps its meaning on hover, so the
    # header stays one line; the full legend spells every meaning out.
    if brief:
        items = "".join(
            f'<li class="cat-{k}" title="{esc(CATEGORY_HELP[k])}">{k if k != "none" else "no verdict"}</li>'
            for k in keys
        )
    else:
        items = "".join(f'<li class="cat-{k}"><strong>{k}</strong>: {esc(CATEGORY_HELP[k])}</li>' for k in keys)
    return f'<ul class="legend">{items}</ul>'


def table_html(table: Table) -> str:
    """One table as an HTML ``<section>``: heading, table, notes; cells are coloured by their category
    (see :func:`~negotiation.export.common.cell_categories`) and rows carry theirs as ``data-category``."""
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in table.columns)
    body = []
    rows = zip(table.rows, row_categories(table.categories, len(table.rows)), cell_categories(table), strict=True)
    for row, category, found in rows:
        cells = []
        for value, cat in zip(row, found, strict=True):
            attr = f' class="cat-{cat}"' if cat else ""
            cells.append(f"<td{attr}>{esc(cell_text(value))}</td>")
        attr = f' data-category="{category}"' if category else ""
        body.append(f"<tr{attr}>{''.join(cells)}</tr>")
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in table.notes)
    return (
        f'<section id="{esc(table.name)}">\n<h2>{esc(table.title)}</h2>\n'
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
        f"{notes}</section>"
    )


def render_html(tables: Sequence[Table]) -> str:
    """A self-contained HTML page with every table (replaces tabulate's html style)."""
    title = tables[0].title if len(tables) == 1 else "negotiation"
    uses = any(c for t in tables for row in cell_categories(t) for c in row)
    body = [f"<h1>{esc(title)}</h1>"]
    if uses:
        body.append(_legend(CATEGORY_NAMES))
    body += [table_html(t) for t in tables]
    return page(title, "\n".join(body))


# The four-column report: the summary (one table of verdicts), then the annex (the evidence behind them).


def _provision_html(view: ProvisionView) -> str:
    if not view.found:
        missing = '<p class="missing">not in the dossier</p>'
        return f'<article class="provision"><h5>{esc(view.provision)}</h5>{missing}</article>'
    parts = [
        f'<article class="provision" data-provision="{esc(view.position)}#{esc(view.provision)}">',
        f'<h5>{esc(view.ref)} <span class="stance">{esc(view.stance)}</span></h5>',
    ]
    if view.text is not None:
        parts.append(f'<blockquote class="text text-{esc(view.text_status)}">{esc(view.text)}</blockquote>')
        parts.append(f'<p class="text-status">{esc(view.text_status)}</p>')
    else:
        parts.append('<p class="missing">no text recovered (text status: missing)</p>')
    if view.summary:
        parts.append(f'<p class="summary">Summary: {esc(view.summary)}</p>')
    if view.responds_to:
        parts.append(f'<p class="against">Answers: {esc("; ".join(view.responds_to))}</p>')
    if view.notes:
        parts.append(f'<p class="notes">Notes: {esc(view.notes)}</p>')
    if view.sources:
        items = "".join(f"<li>{esc(s)}</li>" for s in view.sources)
        parts.append(f'<ul class="sources">{items}</ul>')
    parts.append("</article>")
    return "".join(parts)


def _has_evidence(cell: CellView) -> bool:
    """A cell has an annex entry when it has a verdict or provisions; silence has neither."""
    return bool(cell.category or cell.provisions)


def _verdict_html(cell: CellView) -> str:
    if cell.category:
        out = f'<span class="cat-label">{esc(cell.category)}</span>'
        if cell.status:
            out += f' <span class="status">{esc(cell.status)}</span>'
    else:
        out = f'<span class="stance">{esc(cell.stance)}</span>'
    if cell.marker:
        # The marker of a tentative verdict (~one), the reason on hover; the annex spells the reason out.
        out += f' <span class="attestation" title="{esc(cell.tentative or "")}">{esc(cell.marker)}</span>'
    return out


def _cell_html(cell: CellView) -> str:
    key = cell.category_key
    weak = " tentative" if cell.tentative else ""
    grade = f' data-attestation="{esc(cell.attestation)}"' if cell.attestation else ""
    attrs = (
        f'class="cell cat-{key}{weak}" data-category="{key}"{grade} '
        f'data-position="{esc(cell.position)}" data-party="{esc(cell.party)}"'
    )
    if not _has_evidence(cell):
        return f"<td {attrs}></td>"
    parts = [f'<a class="verdict" href="#ev-{esc(cell.anchor)}">{_verdict_html(cell)}</a>']
    line = cell.line
    if line is not None:
        shown = f"“{line.text}”" if line.quoted else line.text
        kind = "quoted" if line.quoted else "paraphrase"
        parts.append(f'<span class="words {kind}">{esc(shown)}</span>')
    return f"<td {attrs}>{''.join(parts)}</td>"


def _filters(report: Report, print_annex: bool) -> str:
    keys = (*CATEGORY_NAMES, "none")
    cats = "".join(
        f'<label><input type="checkbox" name="category" value="{k}" checked> '
        f'<span class="cat-label cat-{k}">{k if k != "none" else "no verdict"}</span></label>'
        for k in keys
    )
    parties = "".join(
        f'<label><input type="checkbox" name="party" value="{esc(pid)}" checked> {esc(name)}</label>'
        for pid, name in report.parties
    )
    indent = "\u00a0\u00a0"  # no-break spaces: an <option> cannot hold markup, and plain spaces collapse
    options = "".join(
        f'<option value="{esc(r.issue)}">{indent * r.depth}{esc(r.issue)} — {esc(r.title)}</option>'
        for r in report.rows
    )
    return (
        '<form id="filters" class="filters" aria-label="Filters">'
        f"<fieldset><legend>Category</legend>{cats}</fieldset>"
        f"<fieldset><legend>Party</legend>{parties}</fieldset>"
        '<fieldset><legend><label for="filter-issue">Issue</label></legend>'
        f'<select id="filter-issue" name="issue"><option value="">All issues</option>{options}</select></fieldset>'
        '<fieldset><legend>Printing</legend><label><input type="checkbox" name="print-annex"'
        f"{' checked' if print_annex else ''}> "
        "print the annex after the summary</label></fieldset>"
        '<p id="filter-status" role="status"></p>'
        "</form>"
    )


def _comparison_html(comparison: Comparison, parties: dict[str, str], headings: dict[str, str]) -> str:
    left, right = comparison.left, comparison.right
    counts = ", ".join(f"{n} {c}" for c, n in comparison.summary.items())
    rows = []
    for item in comparison.items:
        weak = " tentative" if item.tentative else ""
        split = breakdown_text(item.breakdown)
        status = esc(item.status) + (f' <span class="breakdown">sub-issues: {esc(split)}</span>' if split else "")
        grade = esc(item.attestation)
        if item.tentative:
            grade = f'<span class="tentative-mark">tentative</span> {grade}: {esc(MEANINGS[item.attestation])}'  # type: ignore[index]
        rows.append(
            f'<tr class="cat-{esc(item.category)}{weak}" data-category="{esc(item.category)}" '
            f'data-issue="{esc(item.issue)}" data-attestation="{esc(item.attestation)}">'
            f'<th scope="row">{esc(item.title)}<code> {esc(item.issue)}</code></th>'
            f'<td><span class="cat-label">{esc(item.category)}</span> {status}</td>'
            f"<td>{esc(item.left_stance)}</td><td>{esc(item.right_stance)}</td><td>{grade}</td>"
            f"<td>{esc(item.rationale)}</td></tr>"
        )
    warnings = "".join(f'<p class="note">{esc(w)}</p>' for w in comparison.warnings)
    return (
        f'<section class="comparison" data-left-party="{esc(left.party)}" data-right-party="{esc(right.party)}">'
        f'<h3>{esc(right.title)} <span class="meta">({esc(parties.get(right.party, right.party))})</span> answering '
        f'{esc(left.title)} <span class="meta">({esc(parties.get(left.party, left.party))})</span></h3>'
        f'<p class="meta">{esc(counts)}</p>'
        '<table><thead><tr><th scope="col">Issue</th><th scope="col">Verdict</th>'
        f'<th scope="col" title="{esc(left.title)}">{esc(headings.get(left.id, left.id))}</th>'
        f'<th scope="col" title="{esc(right.title)}">{esc(headings.get(right.id, right.id))}</th>'
        '<th scope="col">Attestation</th>'
        '<th scope="col">Rule</th></tr></thead>'
        "<tbody>" + "".join(rows) + f"</tbody></table>{warnings}</section>"
    )


def _annex_html(report: Report) -> str:
    """Per issue, every cell's verdict, rule and provisions in full; each entry is a summary cell's target."""
    columns = {c.id: c for c in report.columns}
    sections = []
    for row in report.rows:
        entries = []
        for cell in row.cells:
            if not _has_evidence(cell):
                continue
            column = columns[cell.position]
            parts = [
                f'<article class="annex-cell edge-{cell.category_key}{" tentative" if cell.tentative else ""}" '
                f'id="ev-{esc(cell.anchor)}" data-position="{esc(cell.position)}">',
                f'<h4 title="{esc(column.title)}">{esc(column.short_title)} · {esc(report.column_date(column))} — '
                f"{_verdict_html(cell)}</h4>",
            ]
            lines = (
                ("tentative-reason", "", cell.tentative),
                ("breakdown", "Sub-issues: ", cell.breakdown),
                ("rationale", "Rule: ", cell.rationale),
                ("against", "Against: ", ", ".join(cell.against)),
            )
            parts += [f'<p class="{kind}">{lead}{esc(text)}</p>' for kind, lead, text in lines if text]
            # A parent issue's cell rolls up its sub-issues' provisions; each is given in full once, under
            # the issue it is coded on, and the parent points there.
            parts += [_provision_html(p) for p in cell.provisions if p.coded_on(row.issue)]
            elsewhere = [p for p in cell.provisions if not p.coded_on(row.issue)]
            if elsewhere:
                links = ", ".join(
                    f'<a href="#ev-{esc(p.sub_issue(row.issue) or row.issue)}--{esc(cell.position)}">{esc(p.ref)}</a>'
                    for p in elsewhere
                )
                parts.append(f'<p class="against">Rolled up from its sub-issues: {links}.</p>')
            parts.append("</article>")
            entries.append("".join(parts))
        if entries:
            sections.append(
                f'<section class="annex-issue" id="issue-{esc(row.issue)}" data-issue="{esc(row.issue)}">'
                f"<h3>{esc(row.title)} <code>{esc(row.issue)}</code> "
                f'<a class="back no-print" href="#row-{esc(row.issue)}">↑ summary</a></h3>'
                + "".join(entries)
                + "</section>"
            )
    parties = dict(report.parties)
    headings = {c.id: c.short_title for c in report.columns}
    responses = ""
    if report.comparisons:
        responses = (
            '<section id="responses"><h2>Responses, item by item</h2>'
            + "\n".join(_comparison_html(c, parties, headings) for c in report.comparisons)
            + "</section>"
        )
    return (
        '<section id="annex"><h2>Annex: the evidence</h2>'
        '<p class="meta">Per issue, each position\'s verdict, the rule that fired and the provisions behind it: '
        "refs, stances, the words with their text status, and sources.</p>\n"
        + "\n".join(sections)
        + responses
        + "</section>"
    )


def report_html(report: Report, *, print_annex: bool = False) -> str:
    """The four-column report page for a built :class:`~negotiation.export.report.Report`.

    The summary (issues × positions, each cell its verdict and a line of the deciding words, linked to the
    annex) comes first; the annex holds the evidence. Printing gives the summary alone, or the annex too
    when ``print_annex`` is set (or its box is ticked on the page).
    """
    from negotiation.export.report import DATE_NOTE

    heads = "".join(
        f'<th scope="col" class="colhead" data-position="{esc(c.id)}" data-party="{esc(c.party)}" '
        f'title="{esc(c.title)}">{esc(c.short_title)}<span class="sub">{esc(report.column_date(c))}</span></th>'
        for c in report.columns
    )
    rows = []
    for row in report.rows:
        cells = "".join(_cell_html(c) for c in row.cells)
        rows.append(
            f'<tr class="depth-{row.depth}" id="row-{esc(row.issue)}" data-issue="{esc(row.issue)}">'
            f'<th scope="row">{esc(row.title)}<code>{esc(row.issue)}</code></th>{cells}</tr>'
        )
    body = [
        "<header>",
        f"<h1>{esc(report.title)}</h1>",
        '<div class="header-line">',
        f'<p class="meta">{esc(report.period)} · {counted(len(report.rows), "issue")} × '
        f"{counted(len(report.columns), 'position')}. Each cell: the verdict and the opening words behind it; "
        "follow it to the evidence in the annex.</p>",
        _legend((*CATEGORY_NAMES, "none"), brief=True),
        "</div>",
        f'<p class="meta date-note">{esc(DATE_NOTE)}</p>',
        "</header>",
        _filters(report, print_annex),
        '<section id="summary">',
        '<table id="matrix" class="matrix">',
        f'<thead><tr><th scope="col" class="issue-head">Issue</th>{heads}</tr></thead>',
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
        "</section>",
        _annex_html(report),
        "<footer><p>Text status: <strong>verbatim</strong> — the document's own words; <strong>partial</strong> — a "
        "recovered part of them; <strong>reported</strong> — the content as reported by the named sources; "
        "<strong>missing</strong> — no text recovered. In the summary, quoted words are the document's own; "
        "words in italics are reported or summarised. A verdict marked ~several, ~summary, ~one, ~other or ~none "
        '(hatched, <span class="tentative-mark">tentative</span>) rests on less than the document\'s own words: '
        "reported by several sources, its author's summary, one source, the other party's characterisation, or "
        "nothing. Written by negotiation.</p></footer>",
    ]
    return page(
        f"{report.title} — four-column report",
        "\n".join(body),
        _REPORT_SCRIPT,
        body_class="print-annex" if print_annex else None,
    )


def matrix_report(
    record: LoadedDossier, matrix: Matrix, comparisons: Sequence[Comparison] = (), *, print_annex: bool = False
) -> str:
    """The four-column report of a dossier as one self-contained HTML page.

    The summary (one row per issue, one column per position; each cell its verdict as colour and text and a
    line of the deciding words) links every cell to its entry in the annex (the provisions' words, refs and
    sources); filters by category, party and issue.
    """
    from negotiation.export.report import build_report

    return report_html(build_report(record, matrix, comparisons), print_annex=print_annex)
