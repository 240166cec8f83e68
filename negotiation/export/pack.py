"""The briefing pack: every table of a dossier in the formats asked for, with an index.

``build_pack`` computes and renders everything in memory (pure: the same dossier and formats give the
same files, byte for byte); ``write_pack`` writes them atomically under a folder. Layout::

    OUT/index.md                      the index (always)
    OUT/index.html                    the index as a page (with the html format)
    OUT/<format>/positions.<ext>      the positions of the dossier
    OUT/<format>/matrix.<ext>         issues x positions (html, docx, xlsx, pdf: the summary, then the
                                      evidence as an annex; pdf prints the annex only with ``annex``)
    OUT/<format>/diff/<answered>--<response>.<ext>   each response against each position it answers
    OUT/<format>/changes/<old>--<new>.<ext>          each version against the one it supersedes
    OUT/<format>/coverage.<ext>       how much of each bundled source the provisions cover
    OUT/sqlite/dossier.sqlite         (sqlite) the whole dossier and every comparison, one database

>>> extension("latex_booktabs"), extension("markdown"), extension("grid")
('tex', 'md', 'txt')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from negotiation.errors import ExportError, UsageError
from negotiation.io import DOSSIER_FILE_NAMES, check_name, check_writable, remove_empty_folders, write_files
from negotiation.loading import LoadedDossier
from negotiation.render import formats, render
from negotiation.tables import Table

if TYPE_CHECKING:
    from negotiation.engine.attestation import Grade
    from negotiation.engine.model import Comparison, Matrix

#: Formats of a pack when none are asked for: readable everywhere, no optional extra needed.
DEFAULT_PACK_FORMATS: tuple[str, ...] = ("markdown", "html", "csv", "json")

_EXTENSIONS = {
    "csv": "csv",
    "tsv": "tsv",
    "json": "json",
    "html": "html",
    "markdown": "md",
    "github": "md",
    "pipe": "md",
    "rst": "rst",
    "mediawiki": "wiki",
    "asciidoc": "adoc",
    "orgtbl": "org",
    "xlsx": "xlsx",
    "docx": "docx",
    "sqlite": "sqlite",
    "pdf": "pdf",
}

#: Formats written for the matrix only: the PDF is the printed summary (and annex) of the dossier.
_MATRIX_ONLY = frozenset({"pdf"})


def extension(fmt: str) -> str:
    """The file extension of format ``fmt``."""
    return "tex" if fmt.startswith("latex") else _EXTENSIONS.get(fmt, "txt")


@dataclass(frozen=True)
class PackEntry:
    """One item of the pack (a table or the database) and the file written for it in each format."""

    kind: str
    title: str
    files: tuple[str, ...]


@dataclass
class Pack:
    """The rendered pack: relative path -> content, and the index entries, in a fixed order."""

    dossier: str
    title: str
    formats: tuple[str, ...]
    files: dict[str, str | bytes] = field(default_factory=dict)
    entries: list[PackEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _check_formats(requested: Sequence[str]) -> tuple[str, ...]:
    known = formats()
    chosen = tuple(dict.fromkeys(requested or DEFAULT_PACK_FORMATS))
    unknown = [f for f in chosen if f not in known]
    if unknown:
        raise UsageError(f"unknown format '{unknown[0]}'; choose one of: {', '.join(known)}")
    return chosen


def response_comparisons(record: LoadedDossier, min_attestation: Grade | None = None) -> list[Comparison]:
    """Each position compared with each position it answers (answered on the left), in timeline order.

    These are the matrix's own pairs (``negotiation.engine.answers.answered_positions``).
    """
    from negotiation.engine.answers import answered_positions
    from negotiation.engine.compare import compare

    return [
        compare(record.positions[answered], position, record, min_attestation=min_attestation)
        for position in record.positions.values()
        for answered in answered_positions(position, record.positions)
    ]


def build_pack(
    record: LoadedDossier, requested: Sequence[str] = (), min_attestation: Grade | None = None, *, annex: bool = False
) -> Pack:
    """Compute the matrix, every response's diff, every version's changes and coverage, and render them.

    With ``min_attestation``, the matrix and the diffs set aside evidence graded below it (each says
    how many provisions) and the index says so. With ``annex``, the PDF prints the evidence annex
    after the summary.

    Raises UsageError for an unknown format and DependencyError when an office format's library is
    missing, before anything is written.
    """
    from negotiation.coverage import coverage_table, dossier_coverage
    from negotiation.engine.changes import changes
    from negotiation.engine.matrix import build_matrix
    from negotiation.engine.views import changes_table, diff_table, matrix_table
    from negotiation.views import positions_table

    chosen = _check_formats(requested)
    pack = Pack(record.id, record.dossier.title, chosen)
    matrix = build_matrix(record, min_attestation=min_attestation)
    comparisons = response_comparisons(record, min_attestation)
    if min_attestation is not None:
        pack.notes.append(
            f"Evidence below {min_attestation} was set aside before every verdict: "
            f"{len(matrix.set_aside)} provision{'' if len(matrix.set_aside) == 1 else 's'} "
            "(listed in the matrix's JSON)."
        )
    diffs = [(f"diff/{c.left.id}--{c.right.id}", diff_table(c)) for c in comparisons]
    versions: list[tuple[str, Table]] = []
    for position in record.positions.values():
        old = record.positions.get(position.supersedes) if position.supersedes else None
        if old is not None:
            versions.append((f"changes/{old.id}--{position.id}", changes_table(changes(old, position))))
    if not versions:
        pack.notes.append("No position supersedes another in this dossier, so there are no version changes.")
    items: list[tuple[str, str, Table]] = [
        ("positions", "positions", positions_table(record)),
        ("matrix", "matrix", matrix_table(matrix)),
        *(("diff", stem, table) for stem, table in diffs),
        *(("changes", stem, table) for stem, table in versions),
        ("coverage", "coverage", coverage_table(dossier_coverage(record), record.id)),
    ]
    # Ids may themselves contain "--", so two pairs can map to one file name ("a--b" × "c" and
    # "a" × "b--c"); refuse rather than let one table silently overwrite the other.
    seen: dict[str, str] = {}
    for _kind, stem, table in items:
        if stem in seen:
            raise ExportError(
                f"two tables would be written as {stem}: '{seen[stem]}' and '{table.title}'; rename a position"
            )
        seen[stem] = table.title
    for kind, stem, table in items:
        paths = []
        for fmt in chosen:
            if fmt == "sqlite" or (fmt in _MATRIX_ONLY and kind != "matrix"):
                continue  # one database for the whole dossier, below; the PDF is the matrix's summary
            path = f"{fmt}/{stem}.{extension(fmt)}"
            pack.files[path] = _render_item(record, kind, table, fmt, matrix, comparisons, annex)
            paths.append(path)
        if paths:
            pack.entries.append(PackEntry(kind, table.title, tuple(paths)))
    if "sqlite" in chosen:
        from negotiation.export.sqlite import dossier_database

        path = "sqlite/dossier.sqlite"
        pack.files[path] = dossier_database(record, comparisons)
        pack.entries.append(PackEntry("database", f"Dossier {record.id} with every comparison (SQLite)", (path,)))
    pack.files["index.md"] = index_markdown(pack)
    if "html" in chosen:
        pack.files["index.html"] = index_html(pack)
    return pack


def _render_item(
    record: LoadedDossier,
    kind: str,
    table: Table,
    fmt: str,
    matrix: Matrix,
    comparisons: Sequence[Comparison],
    annex: bool,
) -> str | bytes:
    # The matrix is the one table whose richest form needs the dossier: the summary and its annex look
    # up every cell's provisions (words, refs, sources).
    if kind == "matrix" and fmt in ("html", "docx", "xlsx", "pdf"):
        from negotiation.export.report import build_report

        report = build_report(record, matrix, comparisons)
        if fmt == "html":
            from negotiation.export.html import report_html

            return report_html(report)
        if fmt == "docx":
            from negotiation.export.docx import report_docx

            return report_docx(report)
        if fmt == "xlsx":
            from negotiation.export.xlsx import report_workbook

            return report_workbook(report)
        from negotiation.export.pdf import report_pdf

        return report_pdf(report, annex=annex)
    return render([table], fmt)


def index_markdown(pack: Pack) -> str:
    """The pack's index as Markdown: one line per item with a link per format."""
    from negotiation.render import markdown_cell

    lines = [
        f"# {markdown_cell(pack.title)}",
        "",
        f"Briefing pack of dossier `{pack.dossier}`, written by negotiation in: {', '.join(pack.formats)}.",
        "",
        "| kind | item | files |",
        "|---|---|---|",
    ]
    for entry in pack.entries:
        links = " · ".join(f"[{_label(path)}]({path})" for path in entry.files)
        lines.append(f"| {entry.kind} | {markdown_cell(entry.title)} | {links} |")
    lines += [f"\n{markdown_cell(note)}" for note in pack.notes]
    return "\n".join(lines) + "\n"


def _label(path: str) -> str:
    return path.split("/", 1)[0]


def index_html(pack: Pack) -> str:
    """The pack's index as a self-contained page with relative links."""
    from negotiation.export.html import esc, page

    rows = "\n".join(
        f'<tr><td>{esc(entry.kind)}</td><th scope="row">{esc(entry.title)}</th><td>'
        + " · ".join(f'<a href="{esc(path)}">{esc(_label(path))}</a>' for path in entry.files)
        + "</td></tr>"
        for entry in pack.entries
    )
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in pack.notes)
    body = (
        f"<h1>{esc(pack.title)}</h1>\n"
        f'<p class="meta">Briefing pack of dossier <code>{esc(pack.dossier)}</code>, written by negotiation in: '
        f"{esc(', '.join(pack.formats))}.</p>\n"
        '<table>\n<thead><tr><th scope="col">Kind</th><th scope="col">Item</th><th scope="col">Files</th></tr>'
        f"</thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n{notes}"
    )
    return page(f"{pack.title} — briefing pack", body)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def write_pack(pack: Pack, folder: str | Path, record: LoadedDossier | None = None) -> list[Path]:
    """Write every file of ``pack`` under ``folder`` (created if needed), each atomically.

    Refuses a folder inside a dossier (``record``'s, or any holding a dossier file): files written
    there would be read as positions. All or nothing: every target is checked before anything is
    written (a data file in the way, a folder where a file goes), then every file is written beside
    its target and only then renamed into place; on a failure the folder is as it was (the folders
    made for the pack are removed again). Returns the paths written, index first.
    """
    out = Path(folder)
    check_name(out)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: is a file; give a folder for the pack")
    resolved = out.resolve()
    if record is not None and record.root is not None and _inside(resolved, record.root.resolve()):
        raise ExportError(f"{out}: is inside the dossier folder {record.root}; choose a folder outside it")
    if any((resolved / name).is_file() for name in DOSSIER_FILE_NAMES):
        raise ExportError(f"{out}: holds a dossier; choose another folder")
    order = sorted(pack.files, key=lambda p: (not p.startswith("index."), p))
    # Every folder the pack needs, each level of it (markdown/ as well as markdown/diff/).
    folders = sorted({str(parent) for p in pack.files for parent in Path(p).parents if str(parent) != "."})
    for relative in folders:
        sub = out / relative
        if sub.exists() and not sub.is_dir():
            raise ExportError(f"{sub}: is a file where the pack needs a folder; nothing was written")
    for relative in order:
        target = out / relative
        check_name(target)
        if target.parent.is_dir():
            check_writable(target)
    # Folders made here are removed again if the pack cannot be written: on failure nothing changes.
    made = [d for d in (out, *(out / f for f in folders)) if not d.exists()]
    try:
        for folder_ in made:
            folder_.mkdir(parents=True, exist_ok=True)
        write_files({out / relative: pack.files[relative] for relative in order})
    except OSError as exc:
        remove_empty_folders(made)
        raise ExportError(f"{out}: cannot create the folder ({exc.strerror})") from None
    except BaseException:
        remove_empty_folders(made)
        raise
    return [out / relative for relative in order]
