"""The block layout of ``diff`` and ``show`` (``--layout blocks``): one block per issue or provision,
with the words themselves, for reading in a terminal rather than scanning a table.

A provision's words are shown as words only when the document's text was recovered (``verbatim`` or
``partial``); otherwise the block says what stands in for them (a report, or the analyst's summary),
so a paraphrase is never presented as the document's words. Every line is made inert, like every
other text output, and wrapped to the width when one is given.

>>> from negotiation.engine.compare import position_info
from negotiation.engine.model import Evidence
>>> e = Evidence(position="p", provision="a1", ref="Art. 1", stance="propose", relation=None,
...              text="The Parties shall not deploy.", text_status="verbatim", summary=None, sources=())
>>> print("\\n".join(evidence_lines(e, None)))
    Art. 1: propose
      words (verbatim): “The Parties shall not deploy.”
"""

from __future__ import annotations

from negotiation.engine.compare import position_info
from negotiation.engine.model import Comparison, DiffItem, Evidence, PositionInfo
from negotiation.engine.views import mode_note, position_heading, set_aside_note, tentative_note, verdict_status
from negotiation.fitting import wrap_paragraph
from negotiation.render import inert
from negotiation.schema import Position, Provision
from negotiation.words import counted

#: Layouts of ``diff`` and ``show``: the table (the default) or one block per item.
LAYOUTS = ("table", "blocks")


def _line(text: str, width: int | None, indent: str = "") -> str:
    return wrap_paragraph(" ".join(inert(text).split()), width, indent=indent)


def _words(text: str | None, status: str, summary: str | None, sources: tuple[str, ...]) -> list[str]:
    """What stands for a provision's words, labelled by what it is."""
    if text and status in ("verbatim", "partial"):
        lines = [f"words ({status}): “{text}”"]
    elif text:
        lines = [f"as reported: {text}"]
    else:
        lines = [f"no words recovered ({status})"]
    if summary:
        lines.append(f"summary (the analyst's, not the document's): {summary}")
    if sources:
        lines.append(f"sources: {'; '.join(sources)}")
    return lines


def evidence_lines(evidence: Evidence, width: int | None) -> list[str]:
    """One provision cited as evidence: its ref, stance and attestation grade, then its words (or what
    stands for them)."""
    counted = f" (counts as {evidence.counts_as})" if evidence.counts_as not in ("", evidence.stance) else ""
    lines = [_line(f"{evidence.ref}: {evidence.stance}{counted} [{evidence.grade}]", width, "    ")]
    lines += [
        _line(w, width, "      ")
        for w in _words(evidence.text, evidence.text_status, evidence.summary, evidence.sources)
    ]
    return lines


def _side(position: PositionInfo, stance: str, evidence: tuple[Evidence, ...], width: int | None) -> list[str]:
    lines = [_line(f"{position_heading(position)} ({position.id}): {stance}", width, "  ")]
    for item in evidence:
        lines += evidence_lines(item, width)
    return lines


def item_block(comparison: Comparison, item: DiffItem, width: int | None) -> str:
    """One issue: its verdict (with how a parent's sub-issues divide), the rule that fired, the verdict's
    attestation grade, and each side's provisions with their words."""
    status = verdict_status(item.status, item.breakdown, item.attestation)
    lines = [
        _line(f"{item.issue} — {item.category} ({status}): {item.title}", width),
        _line(f"rule: {item.rationale}", width, "  "),
        _line(f"attestation: {item.attestation}", width, "  "),
        *_side(comparison.left, item.left_stance, item.left, width),
        *_side(comparison.right, item.right_stance, item.right, width),
    ]
    return "\n".join(lines)


def _heading(position: PositionInfo, width: int | None) -> str:
    return _line(f"{position.id}: {position_heading(position)} — {position.title}", width)


def diff_blocks(comparison: Comparison, width: int | None = None) -> str:
    """``negotiation diff --layout blocks``: both positions and the mode, then one block per issue, then
    the counts (with what ``--min-attestation`` set aside and the tentative verdicts)."""
    counts = ", ".join(f"{n} {category}" for category, n in comparison.summary.items())
    parts = [
        "\n".join(
            [_heading(comparison.left, width), _heading(comparison.right, width), _line(mode_note(comparison), width)]
        ),
        *(item_block(comparison, item, width) for item in comparison.items),
        "\n".join(
            [
                _line(f"{counted(len(comparison.items), 'issue')}: {counts}", width),
                *(_line(n, width) for n in set_aside_note(comparison.min_attestation, comparison.set_aside)),
                *(_line(n, width) for n in tentative_note(comparison.tentative_count)),
                *(_line(f"warning: {w}", width) for w in comparison.warnings),
            ]
        ),
    ]
    return "\n\n".join(parts) + "\n"


def _provision_block(provision: Provision, width: int | None) -> str:
    sources = tuple(s.witness or s.url or s.file or "" for s in provision.sources)
    lines = [
        _line(f"{provision.ref} ({provision.id}): {provision.stance} on {', '.join(provision.issues)}", width),
        *(_line(w, width, "  ") for w in _words(provision.text, provision.text_status, provision.summary, sources)),
    ]
    return "\n".join(lines)


def position_blocks(position: Position, width: int | None = None) -> str:
    """``negotiation show --layout blocks``: the position's identity, then one block per provision."""
    parts = [_heading(position_info(position), width), *(_provision_block(p, width) for p in position.provisions)]
    return "\n\n".join(parts) + "\n"
