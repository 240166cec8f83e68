"""General and confidential briefs, in Markdown (and DOCX with the ``office`` extra), checked for leaks.

The **general brief** is what every participant reads: scenario, roles, issues and options, the
decision rule, the timetable, the injects read out so far, and the documents up to the information
cut-off (with the dossier's events up to that date). The **confidential brief** of a role adds only
that role's own material: its instructions, its schedule (points, reservation value, red lines,
linkages, what the injects so far change for it) and the documents only it may read.

Every brief is checked before it is returned: no other role's private number or phrase in it
(:mod:`negotiation.exercises.lint`), and no document or event dated after the cut-off. A brief that
fails is never written.

>>> # general_brief(load_exercise("examples/karst-lake-basin-accord")).splitlines()[0]
>>> # '# Karst Lake Basin Accord: general brief'
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negotiation.errors import DependencyError, ExportError, Problem, ValidationError, raise_for
from negotiation.exercises.lint import PrivateFacts, find_leaks, public_leaks
from negotiation.exercises.loaded import LoadedExercise
from negotiation.exercises.rules import describe_rule, needed
from negotiation.exercises.schema import ExerciseDocument, Role
from negotiation.exercises.valuation import valuation
from negotiation.exercises.wording import ASSUMPTION_NOTE, fmt
from negotiation.export.common import reproducible_zip
from negotiation.io import write_atomic
from negotiation.render import markdown_cell, markdown_prose

KIND_WORDS = {
    "record": "on the real record",
    "counterfactual": "a counterfactual built on the real record",
    "fictional": "fictional",
}
#: Fixed metadata so that the same brief gives the same DOCX bytes.
DOCX_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _text(value: str) -> str:
    return " ".join(markdown_prose(value).split())


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "undated"


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(markdown_cell(c) for c in columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def rule_in_words(loaded: LoadedExercise) -> list[str]:
    """The decision rules (the plenary's and each coalition's) as sentences."""
    ex = loaded.exercise
    voters = loaded.voters
    rule = ex.decision_rule
    need = needed(rule, len(voters))
    lines = [f"Plenary: {describe_rule(rule, voters)}. Voters: {', '.join(voters)}."]
    if rule.kind in ("consensus", "unanimity"):
        lines.append(f"Every voter must accept ({need} of {len(voters)}); each can block.")
    else:
        lines.append(f"At least {need} of the {len(voters)} voters must accept.")
    if rule.vetoes:
        lines.append(f"These voters hold a veto and must accept in any case: {', '.join(rule.vetoes)}.")
    if rule.description:
        lines.append(_text(rule.description))
    for role in ex.roles:
        if role.kind != "coalition" or role.decision_rule is None:
            continue
        text = (
            f"Coalition {role.id}: {describe_rule(role.decision_rule, role.members)} among {', '.join(role.members)}."
        )
        if role.decision_rule.description:
            text += " " + _text(role.decision_rule.description)
        lines.append(text)
        for gate in role.gatekeepers:
            note = f" ({_text(gate.note)})" if gate.note else ""
            lines.append(
                f"Gatekeepers of {role.id} on issue {gate.issue}: {', '.join(gate.roles)} must consent to the option "
                f"chosen on that issue, whatever the coalition's rule{note}."
            )
    lines.append(
        "A party accepts a package when it crosses none of the party's red lines and its points reach the "
        "party's reservation value; each party's points are in its confidential brief."
    )
    return lines


def visible_documents(loaded: LoadedExercise, role: str | None) -> list[ExerciseDocument]:
    """Documents dated up to the cut-off: for every role (``role`` None) or only for ``role``.

    An exercise on a dossier that lists no documents gives every role the dossier's positions.
    """
    listed = loaded.exercise.documents
    if not listed and loaded.record is not None:
        listed = tuple(ExerciseDocument(position=pid) for pid in loaded.record.positions)
    out = []
    for document in listed:
        if role is None and document.roles:
            continue
        if role is not None and role not in document.roles:
            continue
        date = document_date(loaded, document)
        if loaded.exercise.cutoff is not None and (date is None or date > loaded.exercise.cutoff):
            continue
        out.append(document)
    return sorted(out, key=lambda d: (_date(document_date(loaded, d)), d.position or d.file or ""))


def document_date(loaded: LoadedExercise, document: ExerciseDocument) -> dt.date | None:
    """A document's date: the position's delivery or publication date, or the file's stated date."""
    if document.position is not None and loaded.record is not None and document.position in loaded.record.positions:
        return loaded.record.positions[document.position].date
    return document.date


def _document_rows(loaded: LoadedExercise, documents: Sequence[ExerciseDocument]) -> list[list[str]]:
    rows = []
    for document in documents:
        date = _date(document_date(loaded, document))
        if document.position is not None and loaded.record is not None:
            position = loaded.record.positions[document.position]
            party = loaded.record.parties.get(position.party)
            source = position.provenance.source_file or ""
            where = f"{loaded.record.id}/{source}" if source else f"position {position.id}"
            notes = [n for n in (position.provenance.completeness, document.note) if n]
            rows.append(
                [
                    date,
                    _text(document.title or position.title),
                    party.name if party else position.party,
                    position.kind,
                    f"{position.id} ({where})",
                    _text("; ".join(notes)),
                ]
            )
        else:
            rows.append(
                [date, _text(document.title or ""), "", "file", document.file or "", _text(document.note or "")]
            )
    return rows


def general_brief(loaded: LoadedExercise, round_number: int | None = None) -> str:
    """The general brief in Markdown; injects are included up to ``round_number`` (None: none)."""
    ex = loaded.exercise
    out = [f"# {_text(ex.title)}: general brief", "", f"> {ASSUMPTION_NOTE}", ""]
    out += ["## Scenario", "", markdown_prose(ex.scenario).strip(), ""]
    facts = [f"Scenario: {KIND_WORDS[ex.kind]}."]
    if ex.dossier:
        facts.append(f"Record: dossier {ex.dossier}.")
    if ex.cutoff:
        facts.append(
            f"Information cut-off: {ex.cutoff.isoformat()}; no document after this date is part of the exercise."
        )
    out += [" ".join(facts), ""]
    out += ["## Roles", ""]
    rows = []
    for role in ex.roles:
        detail = []
        if role.party:
            detail.append(f"plays {role.party}")
        if role.members:
            detail.append(f"members: {', '.join(role.members)}")
        coalition = loaded.coalition_of(role.id)
        if coalition is not None:
            detail.append(f"member of {coalition.id}")
        rows.append([role.id, _text(role.name), role.kind, "; ".join(detail), _text(role.description or "")])
    out += _table(("role", "name", "kind", "plays / membership", "description"), rows)
    out += ["## Issues and options", ""]
    for issue in ex.issues:
        out += [f"### {issue.id}: {_text(issue.title)}", ""]
        if issue.description:
            out += [_text(issue.description), ""]
        if issue.codes:
            out += [f"Dossier issues: {', '.join(issue.codes)}.", ""]
        out += _table(
            ("option", "title", "description"),
            [[o.id, _text(o.title), _text(o.description or "")] for o in issue.options],
        )
    out += ["## Decision rule", ""]
    out += [f"- {line}" for line in rule_in_words(loaded)] + [""]
    if ex.rounds:
        out += ["## Timetable", ""]
        out += _table(
            ("round", "date", "title", "tabling", "description"),
            [
                [
                    str(r.number),
                    _date(r.date) if r.date else "",
                    _text(r.title),
                    ", ".join(r.tabling) or "every team",
                    _text(r.description or ""),
                ]
                for r in sorted(ex.rounds, key=lambda r: r.number)
            ],
        )
    injects = [i for i in ex.injects if round_number is not None and i.round <= round_number and not i.roles]
    if injects:
        out += [f"## Injects up to round {round_number}", ""]
        for inject in sorted(injects, key=lambda i: (i.round, i.id)):
            out += [
                f"### Before round {inject.round}: {_text(inject.title)}",
                "",
                markdown_prose(inject.text).strip(),
                "",
            ]
    documents = visible_documents(loaded, None)
    cutoff = f" up to {ex.cutoff.isoformat()}" if ex.cutoff else ""
    out += [f"## Documents{cutoff}", ""]
    if documents:
        out += _table(("date", "title", "party", "kind", "document", "notes"), _document_rows(loaded, documents))
    else:
        out += ["None.", ""]
    if loaded.record is not None and loaded.record.dossier.events:
        events = [e for e in loaded.record.dossier.events if ex.cutoff is None or e.date <= ex.cutoff]
        if events:
            out += [f"## Events{cutoff} (from the dossier)", ""]
            for event in events:
                flag = " (uncertain)" if event.uncertain else ""
                out.append(f"- {event.date.isoformat()}: {_text(event.title)}{flag}")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def role_brief(loaded: LoadedExercise, role_id: str, round_number: int | None = None) -> str:
    """The confidential brief of one role, in Markdown; inject effects up to ``round_number``."""
    ex = loaded.exercise
    role = loaded.role(role_id)
    out = [f"# {_text(ex.title)}: confidential brief for {_text(role.name)}", ""]
    out += [f"> Confidential: for {_text(role.name)} only.", ">", f"> {ASSUMPTION_NOTE}", ""]
    out += ["## Your role", ""]
    out.append(f"You play {_text(role.name)} ({role.id}, a {role.kind}).")
    if role.description:
        out.append(_text(role.description))
    if role.party:
        out.append(f"In the dossier you are party {role.party}.")
    coalition = loaded.coalition_of(role.id)
    if coalition is not None:
        assert coalition.decision_rule is not None
        out.append(
            f"You are a member of {coalition.id}, which decides by "
            f"{describe_rule(coalition.decision_rule, coalition.members)}."
        )
        for gate in coalition.gatekeepers:
            if role.id in gate.roles:
                out.append(
                    f"You are a gatekeeper on issue {gate.issue}: {coalition.id} cannot adopt an option there "
                    "that crosses your red lines."
                )
    out.append("")
    out += _role_body(loaded, role, round_number)
    documents = visible_documents(loaded, role.id)
    if documents:
        out += ["## Documents only your team reads", ""]
        out += _table(("date", "title", "party", "kind", "document", "notes"), _document_rows(loaded, documents))
    injects = [i for i in ex.injects if round_number is not None and i.round <= round_number and role.id in i.roles]
    for inject in sorted(injects, key=lambda i: (i.round, i.id)):
        out += [f"## Inject for your team before round {inject.round}: {_text(inject.title)}", ""]
        out += [markdown_prose(inject.text).strip(), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _role_body(loaded: LoadedExercise, role: Role, round_number: int | None) -> list[str]:
    out: list[str] = []
    if role.kind == "coalition":
        assert role.decision_rule is not None
        out += ["## How your coalition decides", ""]
        out.append(
            f"Your coalition has no schedule of its own: it accepts a package when "
            f"{describe_rule(role.decision_rule, role.members)} of its members ({', '.join(role.members)}) accept, "
            "and no gatekeeper blocks the option chosen on its issue."
        )
        return [*out, ""]
    if not role.scored:
        out += ["## Your task", "", f"A {role.kind} holds no schedule and is not scored.", ""]
        return out
    schedule = loaded.schedules[role.id]
    v = valuation(loaded, schedule, round_number)
    if schedule.instructions:
        out += ["## Your instructions", "", markdown_prose(schedule.instructions).strip(), ""]
    out += ["## Your schedule", ""]
    out += [f"Your reservation value: {fmt(v.reservation_value)} points. You accept a package worth at least that.", ""]
    rows = []
    for issue in loaded.exercise.issues:
        weight = v.weights.get(issue.id, 1.0)
        for option in issue.options:
            base = schedule.issues[issue.id].points[option.id]
            value = v.points[issue.id][option.id]
            how = f"{fmt(value)} points" + (f" (weight {fmt(weight)} x {fmt(base)})" if weight != 1.0 else "")
            red = "red line" if option.id in v.red_lines.get(issue.id, frozenset()) else ""
            rows.append([issue.id, option.id, _text(option.title), how, red])
    out += _table(("issue", "option", "title", "your points", "red line"), rows)
    red_lines = [(i, o) for i, options in v.red_lines.items() for o in sorted(options)]
    if red_lines:
        out += ["Your red lines (you never accept a package holding these options):", ""]
        out += [f"- {o} on issue {i}" for i, o in red_lines] + [""]
    if v.linkages:
        out += ["Your linkages (points added when a package holds all the options):", ""]
        for link in v.linkages:
            desc = f": {_text(link.description)}" if link.description else ""
            out.append(f"- {' + '.join(link.options.values())}: {fmt(float(link.points))} points{desc}")
        out.append("")
    applied = [a for a in schedule.adjustments if a.inject in v.adjustments]
    if applied:
        out += [f"## What the injects up to round {round_number} change for you", ""]
        for adjustment in applied:
            parts = []
            if adjustment.weight is not None:
                parts.append(f"weight on issue {adjustment.issue} becomes {fmt(float(adjustment.weight))}")
            if adjustment.points is not None:
                parts.append(f"points on issue {adjustment.issue} change (see the table)")
            if adjustment.reservation_value is not None:
                parts.append(f"reservation value becomes {fmt(float(adjustment.reservation_value))}")
            desc = f" {_text(adjustment.description)}" if adjustment.description else ""
            out.append(f"- {adjustment.inject}: {'; '.join(parts)}.{desc}")
        out.append("")
    return out


def cutoff_problems(loaded: LoadedExercise, shown: str, text: str) -> list[Problem]:
    """Problems for every mention of a dossier position or event dated after the cut-off."""
    cutoff = loaded.exercise.cutoff
    if cutoff is None or loaded.record is None:
        return []
    later: list[tuple[str, dt.date]] = []
    for position in loaded.record.positions.values():
        if position.date is not None and position.date > cutoff:
            later += [(position.id, position.date), (position.title, position.date)]
    for event in loaded.record.dossier.events:
        if event.date > cutoff:
            later.append((event.title, event.date))
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for name, date in later:
            if name in line:
                problems.append(
                    Problem(
                        shown,
                        number,
                        1,
                        "",
                        f"mentions '{name}' dated {date.isoformat()}, after the cut-off {cutoff.isoformat()}",
                    )
                )
    return problems


@dataclass(frozen=True)
class Brief:
    """One generated brief: who reads it, its file name and its Markdown."""

    role: str | None
    name: str
    markdown: str


def briefs(loaded: LoadedExercise, roles: Sequence[str] | None = None, round_number: int | None = None) -> list[Brief]:
    """The general brief and the confidential briefs of ``roles`` (default: every role), checked for leaks.

    Raises ValidationError, with every leak located, when the public files or any brief leak.
    """
    facts = PrivateFacts(loaded)
    problems = public_leaks(loaded, facts)
    chosen = list(roles) if roles is not None else [r.id for r in loaded.exercise.roles]
    for role_id in chosen:
        loaded.role(role_id)
    out = [Brief(None, "general.md", general_brief(loaded, round_number))]
    out += [Brief(r, f"{r}.md", role_brief(loaded, r, round_number)) for r in chosen]
    for brief in out:
        shown = os.path.join("briefs", brief.name)
        readers = () if brief.role is None else (brief.role,)
        problems += find_leaks(facts, shown, brief.markdown, readers)
        problems += cutoff_problems(loaded, shown, brief.markdown)
    raise_for(sorted(set(problems)))
    return out


def write_briefs(
    loaded: LoadedExercise,
    folder: str | Path,
    roles: Sequence[str] | None = None,
    *,
    round_number: int | None = None,
    docx: bool = False,
) -> list[str]:
    """Write ``general.md`` and ``<role>.md`` (and ``.docx`` with ``docx``) into ``folder``; the paths written."""
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise ExportError(f"{folder}: not a folder")
    generated = briefs(loaded, roles, round_number)
    if docx:
        _docx_module()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for brief in generated:
        path = target / brief.name
        # A role's brief is confidential: readable by its writer only, whatever the umask.
        private = brief.role is not None
        write_atomic(path, brief.markdown, private=private)
        written.append(str(path))
        if docx:
            docx_path = path.with_suffix(".docx")
            write_atomic(docx_path, markdown_to_docx(brief.markdown), private=private)
            written.append(str(docx_path))
    return written


def _docx_module() -> Any:
    try:
        import docx
    except ImportError:
        raise DependencyError("DOCX briefs need python-docx: pip install 'negotiation[office]'") from None
    return docx


_CELL_ESCAPE = re.compile(r"\\([|\\`*_\[\]<>])")


def _cells(line: str) -> list[str]:
    body = line.strip()[1:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [_CELL_ESCAPE.sub(r"\1", c.strip()) for c in cells]


def _plain(markdown: str) -> str:
    # A DOCX holds text, not markup: the entities that neutralised HTML in the Markdown read as characters again.
    return html.unescape(markdown)


def markdown_to_docx(markdown: str) -> bytes:
    """A DOCX rendering of a brief's Markdown (headings, paragraphs, quotes, bullets, tables), same bytes each time."""
    docx = _docx_module()
    document = docx.Document()
    props = document.core_properties
    props.author = "negotiation"
    props.last_modified_by = "negotiation"
    props.created = DOCX_DATE.replace(tzinfo=None)
    props.modified = DOCX_DATE.replace(tzinfo=None)
    props.revision = 1
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            heading = _plain(line[level:].strip())
            if level == 1:
                props.title = heading[:255]  # the document properties hold at most 255 characters
            document.add_heading(heading, level=min(level, 4) - 1 if level > 1 else 0)
        elif line.startswith("|"):
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(lines[i])
                i += 1
            header, body = _cells(block[0]), [_cells(b) for b in block[2:]]
            table = document.add_table(rows=1 + len(body), cols=len(header))
            table.style = "Table Grid"
            for r, row in enumerate([header, *body]):
                for c, value in enumerate(row):
                    table.cell(r, c).text = _plain(value)
            continue
        elif line.startswith("> "):
            document.add_paragraph(_plain(line[2:]), style="Intense Quote")
        elif line.startswith("- "):
            document.add_paragraph(_plain(line[2:]), style="List Bullet")
        elif line.strip() and line.strip() != ">":
            document.add_paragraph(_plain(line))
        i += 1
    raw = io.BytesIO()
    document.save(raw)
    return reproducible_zip(raw.getvalue())


__all__ = [
    "Brief",
    "ValidationError",
    "briefs",
    "cutoff_problems",
    "general_brief",
    "markdown_to_docx",
    "role_brief",
    "rule_in_words",
    "visible_documents",
    "write_briefs",
]
