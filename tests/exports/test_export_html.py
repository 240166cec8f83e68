"""HTML: the page for any tables and the four-column report — escaping, self-containment, structure, goldens."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiation.engine.model import Comparison, Matrix
from negotiation.export.html import esc, matrix_report, render_html
from negotiation.loading import LoadedDossier
from negotiation.render import inert, render
from tests.exports.lake import HOSTILE, fixture_tables, hostile_table

VOID = {"meta", "br", "input", "link", "img", "hr"}


@dataclass
class Node:
    """A parsed HTML element."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """All text inside, concatenated."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        """Descendants with ``tag`` whose attributes include ``attrs`` (class matched as a word)."""
        out = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag and all(_has(child, k, v) for k, v in attrs.items()):
                    out.append(child)
                out += child.find_all(tag, **attrs)
        return out


def _has(node: Node, key: str, value: str) -> bool:
    key = key.rstrip("_").replace("_", "-")
    if key == "class":
        return value in node.attrs.get("class", "").split()
    return node.attrs.get(key) == value


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    """Parse a page, checking that every element is closed where it opened."""
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def assert_self_contained(page: str, root: Node) -> None:
    """No fetch of any kind: no src attributes, links only within the page, no url() or @import, and a CSP that
    forbids fetching."""
    assert not re.search(r"\s(src|srcset|action|formaction|background|poster)=", page)
    assert re.findall(r'\shref="(.)', page) == ["#"] * page.count(" href=")
    assert "url(" not in page and "@import" not in page
    policy = root.find_all("meta", http_equiv="Content-Security-Policy")[0].attrs["content"]
    assert policy.startswith("default-src 'none'; ")
    style = root.find_all("style")[0].text()
    assert f"style-src {_sha(style)};" in policy
    scripts = root.find_all("script")
    if scripts:
        assert f"script-src {_sha(scripts[0].text())};" in policy
    else:
        assert "script-src 'none';" in policy


@given(st.text())
def test_esc_leaves_no_markup_character(text: str) -> None:
    """For any text, esc() writes no <, >, quote or apostrophe, and unescapes to the inert text."""
    import html

    out = esc(text)
    assert not set(out) & set("<>\"'")
    assert html.unescape(out) == inert(text)


def test_tables_page_shows_hostile_cells_as_text(lake: LoadedDossier) -> None:
    """Every hostile cell is a table cell whose text is exactly the (inert) cell; no script, no fetch."""
    page = render_html(fixture_tables(lake))
    root = parse(page)
    assert_self_contained(page, root)
    assert root.find_all("script") == []
    hostile = root.find_all("section", id="hostile")[0]
    texts = [row.find_all("td")[1].text() for row in hostile.find_all("tbody")[0].find_all("tr")]
    assert texts == [inert(t) for t in HOSTILE]
    assert hostile.find_all("h2")[0].text() == "<b>Hostile</b> & \\cells"
    assert [p.text() for p in hostile.find_all("p", class_="note")] == ["note: =1+1 <i>not markup</i> 100%"]


def test_tables_page_colours_rows_by_category(lake: LoadedDossier) -> None:
    """Diff rows carry their category, and every cell of a diff row is coloured with it; the legend names all three."""
    root = parse(render_html(fixture_tables(lake)))
    rows = root.find_all("section", id="diff")[0].find_all("tbody")[0].find_all("tr")
    assert [r.attrs["data-category"] for r in rows] == ["rejection", "rejection", "open", "overlap", "open", "open"]
    assert {td.attrs["class"] for td in rows[0].find_all("td")} == {"cat-rejection"}
    assert {td.attrs["class"] for td in rows[3].find_all("td")} == {"cat-overlap"}
    assert [li.find_all("strong")[0].text() for li in root.find_all("ul", class_="legend")[0].find_all("li")] == [
        "overlap",
        "rejection",
        "open",
    ]


def test_html_format_is_the_house_page_not_tabulates() -> None:
    """--format html goes to the safe page renderer (a full document), not tabulate's bare table."""
    out = render([hostile_table()], "html")
    assert isinstance(out, str)
    assert out.startswith("<!DOCTYPE html>\n") and out.endswith("</html>\n")
    assert "<script>" not in out


def test_report_has_one_row_per_issue_and_one_column_per_position(
    lake: LoadedDossier, matrix: Matrix, comparisons: tuple[Comparison, ...]
) -> None:
    """The matrix table lists each issue once with a cell per position carrying category, party and stance."""
    page = matrix_report(lake, matrix, comparisons)
    root = parse(page)
    assert_self_contained(page, root)
    table = root.find_all("table", id="matrix")[0]
    heads = table.find_all("thead")[0].find_all("th")
    assert [h.attrs.get("data-position") for h in heads] == [None, *(p.id for p in matrix.positions)]
    rows = table.find_all("tbody")[0].find_all("tr")
    assert [r.attrs["data-issue"] for r in rows] == [
        "flows",
        "flows.minimum",
        "flows.dams",
        "data",
        "monitoring",
        "form",
    ]
    grid = [[(c.attrs["data-party"], c.attrs["data-category"]) for c in r.find_all("td")] for r in rows]
    assert grid[3] == [("up", "none"), ("down", "overlap"), ("obs", "open")]
    assert [row[1][1] for row in grid] == ["rejection", "rejection", "open", "overlap", "open", "open"]
    cells = [c.text() for c in rows[1].find_all("td")]
    assert cells == [
        "propose“The Parties shall keep a minimum…”",
        "rejection rejected“The Union cannot accept a fixed…”",
        "",
    ]
    links = [a.attrs["href"] for a in rows[1].find_all("a")]
    assert links == ["#ev-flows.minimum--up-proposal-2030-01-10", "#ev-flows.minimum--down-response-2030-02-01"]


def _annex_entry(root: Node, issue: str, position: str) -> Node:
    found = root.find_all("article", id=f"ev-{issue}--{position}")
    assert len(found) == 1, f"no single annex entry for {issue} × {position}"
    return found[0]


def test_report_annex_holds_words_refs_and_sources(
    lake: LoadedDossier, matrix: Matrix, comparisons: tuple[Comparison, ...]
) -> None:
    """A cell's annex entry holds each provision's ref, stance, exact words, text status and sources, and the rule."""
    root = parse(matrix_report(lake, matrix, comparisons))
    up = _annex_entry(root, "flows.minimum", "up-proposal-2030-01-10")
    article = up.find_all("article")[0]
    assert article.attrs["data-provision"] == "up-proposal-2030-01-10#art-1"
    assert article.find_all("h5")[0].text() == "Art. 1 propose"
    assert article.find_all("blockquote")[0].text() == (
        "The Parties shall keep a minimum flow <script>alert(1)</script> of 40 m3/s."
    )
    assert [li.text() for li in article.find_all("li")] == ["sources/up-proposal.md, Article 1"]
    down = _annex_entry(root, "flows.minimum", "down-response-2030-02-01")
    assert down.find_all("p", class_="rationale")[0].text() == "Rule: propose x reject -> rejected"
    assert down.find_all("p", class_="against")[1].text() == "Answers: rejects up-proposal-2030-01-10#art-1"
    assert root.find_all("article", id="ev-flows.minimum--obs-statement-2030-02-05") == []
    form = _annex_entry(root, "form", "up-proposal-2030-01-10")
    assert form.find_all("p", class_="missing")[0].text() == "no text recovered (text status: missing)"
    assert form.find_all("p", class_="notes")[0].text() == (
        "Notes: Said to exist; not recovered. \\x1b[31mred\\x1b[0m \\u202eevil"
    )


def test_report_parent_cell_points_to_its_sub_issues(lake: LoadedDossier, matrix: Matrix) -> None:
    """A parent's rolled-up cell gives its sub-issues' provisions once, under their own issue, and links there."""
    root = parse(matrix_report(lake, matrix, ()))
    parent = _annex_entry(root, "flows", "up-proposal-2030-01-10")
    assert parent.find_all("article") == []
    assert [a.attrs["href"] for a in parent.find_all("a")] == [
        "#ev-flows.minimum--up-proposal-2030-01-10",
        "#ev-flows.dams--up-proposal-2030-01-10",
    ]


def test_report_script_is_the_only_script(
    lake: LoadedDossier, matrix: Matrix, comparisons: tuple[Comparison, ...]
) -> None:
    """The provision holding <script> is text; the page has exactly one script element, its own."""
    page = matrix_report(lake, matrix, comparisons)
    assert page.count("<script") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_report_filters_list_categories_parties_and_issues(
    lake: LoadedDossier, matrix: Matrix, comparisons: tuple[Comparison, ...]
) -> None:
    """The filter form offers the four categories, the parties with columns, and every issue."""
    root = parse(matrix_report(lake, matrix, comparisons))
    form = root.find_all("form", id="filters")[0]
    assert [i.attrs["value"] for i in form.find_all("input", name="category")] == [
        "overlap",
        "rejection",
        "open",
        "none",
    ]
    parties = [label for label in form.find_all("label") if label.find_all("input", name="party")]
    assert [(p.find_all("input")[0].attrs["value"], p.text()) for p in parties] == [
        ("up", " Upstream Republic"),
        ("down", " Downstream Union"),
        ("obs", " Basin Observers <Org>"),
    ]
    options = [o.attrs["value"] for o in form.find_all("option")]
    assert options == ["", "flows", "flows.minimum", "flows.dams", "data", "monitoring", "form"]


def test_report_lists_each_response(lake: LoadedDossier, matrix: Matrix, comparisons: tuple[Comparison, ...]) -> None:
    """Each comparison gets a section with its items, categories and warnings."""
    root = parse(matrix_report(lake, matrix, comparisons))
    sections = root.find_all("section", class_="comparison")
    assert [s.attrs["data-right-party"] for s in sections] == ["down", "obs"]
    assert [r.attrs["data-category"] for r in sections[1].find_all("tr", class_="cat-open")] == ["open"]
    assert sections[1].find_all("p", class_="note")[0].text() == "the observer is not a party <to the treaty>"


def test_report_matches_golden(
    lake: LoadedDossier,
    matrix: Matrix,
    comparisons: tuple[Comparison, ...],
    golden: Callable[[str, str | bytes], None],
) -> None:
    """The Lake Arden report is byte-for-byte its golden file."""
    golden("fixture/report.html", matrix_report(lake, matrix, comparisons))


@pytest.mark.parametrize("missing", ["nowhere", "nowhere#x", "up-proposal-2030-01-10#nope"])
def test_report_names_a_provision_it_cannot_find(lake: LoadedDossier, matrix: Matrix, missing: str) -> None:
    """A cell citing a provision that is not in the dossier says so instead of failing."""
    from dataclasses import replace

    row = matrix.rows[0]
    cell = replace(row.cells[0], provisions=(missing,))
    broken = replace(matrix, rows=(replace(row, cells=(cell, *row.cells[1:])),))
    root = parse(matrix_report(lake, broken, ()))
    article = _annex_entry(root, "flows", "up-proposal-2030-01-10").find_all("article")[0]
    assert article.find_all("p")[0].text() == "not in the dossier"


def test_matrix_cells_are_coloured_by_their_own_verdict(lake: LoadedDossier, matrix: Matrix) -> None:
    """In the matrix table a cell is coloured by its own category; an opening position's stance is not."""
    from negotiation.engine.views import matrix_table

    root = parse(render_html([matrix_table(matrix)]))
    data = next(tr for tr in root.find_all("tbody")[0].find_all("tr") if tr.find_all("td")[0].text() == "data")
    assert data.attrs["data-category"] == "open"
    assert [td.attrs.get("class") for td in data.find_all("td")] == [None, None, "cat-overlap", "cat-open"]
    assert [td.text() for td in data.find_all("td")] == ["data", "propose", "overlap (agreed)", "open (conditional)"]


def test_report_shows_a_tentative_verdict_with_its_reason() -> None:
    """A verdict resting on one reported source is hatched, marked tentative and says why; one on the
    document's own words is not."""
    from negotiation.engine.matrix import build_matrix
    from negotiation.export.html import matrix_report
    from negotiation.export.pack import response_comparisons
    from tests.engine_fixtures import water

    record = water()
    page = matrix_report(record, build_matrix(record), response_comparisons(record))
    # south-response's research provision is reported by its press office only (one source).
    research = re.search(
        r'<td class="cell cat-overlap tentative"[^>]*data-position="south-response"[^>]*>.*?</td>', page, re.S
    )
    assert research is not None
    assert 'data-attestation="one-source"' in research.group()
    assert "tentative: the deciding evidence is reported by one source" in research.group()
    flood = re.search(
        r'<td class="cell cat-overlap"[^>]*data-attestation="own-words"[^>]*data-position="south-response"', page
    )
    assert flood is not None


def test_bundled_annex_holds_every_provision_a_cell_cites() -> None:
    """Every provision behind any matrix cell of the bundled dossier is given in full in the annex, and every
    response's comparison follows the issues."""
    from negotiation.engine.matrix import build_matrix
    from negotiation.export.pack import response_comparisons
    from negotiation.loading import load_dossier

    record = load_dossier()
    matrix = build_matrix(record)
    comparisons = response_comparisons(record)
    root = parse(matrix_report(record, matrix, comparisons))
    annex = root.find_all("section", id="annex")[0]
    given = {a.attrs["data-provision"] for a in annex.find_all("article", class_="provision")}
    cited = {
        ref if "#" in ref else f"{position.id}#{ref}"
        for row in matrix.rows
        for position, cell in zip(matrix.positions, row.cells, strict=True)
        for ref in cell.provisions
    }
    assert cited - given == set()
    assert len(annex.find_all("section", class_="comparison")) == len(comparisons)
