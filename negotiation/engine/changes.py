"""What changed between two positions: provisions added, removed, changed and moved.

Provisions are matched by identity, never by their place in the list:

1. by ``id``;
2. then, among the rest, by the same words (text, or summary when no text was recovered), when
   those words are unique on both sides;
3. then by the same ``ref``, when unique on both sides and the two share an issue (articles get
   renumbered, so a ref alone is weak evidence);
4. then by similar words: word-set overlap (Jaccard) of at least :data:`SIMILARITY`, best pairs
   first; candidates come from an index of each text's rarest words, so the work stays near linear.

A matched pair has *changed* when a field differs (its id included: a renumbered provision shows
``id``); it has *moved* when it left the longest run of provisions that kept their relative order
(so one insertion does not make everything after it "moved"). Changed text gets a word-level
redline; a changed stance reads as a concession or a hardening (negotiation.engine.decision).

Field-level differences inside nested lists (obligations, conditions, sources, links re-keyed by
their target) are computed by deepdiff, imported only when such a difference exists; its objects
and path strings never leave this module.

>>> from negotiation.schema import Position, Provenance, Provision
>>> def pos(*ps): return Position(schema_version=1, id="p", party="x", kind="other", title="P",
...                               provenance=Provenance(authenticity="fictional"), provisions=ps)
>>> a = Provision(id="a", ref="Art. 1", issues=("x",), stance="reject", text_status="missing")
>>> result = changes(pos(a), pos(a.model_copy(update={"stance": "discuss"})))
>>> result.changed[0].stance_movement
'concession'
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher
from typing import Any, Literal

from negotiation.engine.compare import position_info
from negotiation.engine.decision import movement
from negotiation.engine.model import Changes, FieldChange, ProvisionChange, ProvisionSummary, RedlinePiece
from negotiation.schema import Position, Provision

#: Least word-set overlap (Jaccard) for two provisions with different ids and refs to be the same one.
SIMILARITY = 0.5
#: How many of a text's rarest words are looked up to find candidates, and how many candidates at most.
_PROBE_WORDS = 6
_MAX_CANDIDATES = 64

MatchedBy = Literal["id", "ref", "text"]
_WORDS = re.compile(r"\w+")
_TOKENS = re.compile(r"\s*(?:\w+|[^\w\s])")

#: Provision fields in schema order; ``issues`` and ``linked_to`` are sets, ``text`` gets a redline.
_FIELDS = tuple(Provision.model_fields)
_ATOMIC = frozenset({"id", "ref", "issues", "stance", "text", "text_status", "summary", "notes", "linked_to"})


def changes(old: Position, new: Position) -> Changes:
    """Compare two versions of a position (or any two positions) provision by provision.

    ``changes(a, a)`` is empty; reordering or renumbering shows only moves and id changes.
    """
    pairs = match_provisions(old.provisions, new.provisions)
    id_map = {old.provisions[i].id: new.provisions[j].id for i, j, _ in pairs}
    moved = _moved(pairs)
    changed: list[ProvisionChange] = []
    moved_only: list[ProvisionChange] = []
    for i, j, how in sorted(pairs, key=lambda t: t[1]):
        before, after = old.provisions[i], new.provisions[j]
        fields = field_changes(before, after, id_map)
        if not fields and (i, j) not in moved:
            continue
        text_changed = any(f.path == "text" for f in fields)
        pieces = redline_pieces(before.text, after.text) if text_changed else ()
        change = ProvisionChange(
            old_id=before.id,
            new_id=after.id,
            ref=after.ref,
            matched_by=how,
            moved=(i, j) in moved,
            fields=fields,
            redline=render_redline(pieces) if text_changed else None,
            stance_movement=movement(before.stance, after.stance) if before.stance and after.stance else None,
            old_index=i,
            new_index=j,
            old_ref=before.ref,
            redline_pieces=pieces,
        )
        (changed if fields else moved_only).append(change)
    matched_old = {i for i, _, _ in pairs}
    matched_new = {j for _, j, _ in pairs}
    added = tuple(_summary(p, j) for j, p in enumerate(new.provisions) if j not in matched_new)
    removed = tuple(_summary(p, i) for i, p in enumerate(old.provisions) if i not in matched_old)
    return Changes(
        old=position_info(old),
        new=position_info(new),
        added=tuple(s.id for s in added),
        removed=tuple(s.id for s in removed),
        changed=tuple(changed),
        moved=tuple(moved_only),
        added_provisions=added,
        removed_provisions=removed,
    )


def _summary(provision: Provision, index: int) -> ProvisionSummary:
    return ProvisionSummary(
        id=provision.id,
        ref=provision.ref,
        stance=provision.stance_shown,
        issues=provision.issues,
        index=index,
        summary=provision.summary,
    )


# --- matching -------------------------------------------------------------------------------------


def _words_of(provision: Provision) -> str | None:
    words = provision.text if provision.text is not None else provision.summary
    return " ".join(words.split()) if words else None


def match_provisions(old: Sequence[Provision], new: Sequence[Provision]) -> list[tuple[int, int, MatchedBy]]:
    """Pairs (old index, new index, how) of the provisions that are the same in both lists."""
    new_by_id = {p.id: j for j, p in enumerate(new)}
    pairs: list[tuple[int, int, MatchedBy]] = []
    free_old: list[int] = []
    used: set[int] = set()
    for i, p in enumerate(old):
        j = new_by_id.get(p.id)
        if j is None:
            free_old.append(i)
        else:
            pairs.append((i, j, "id"))
            used.add(j)
    free_new = [j for j in range(len(new)) if j not in used]
    if not free_old or not free_new:
        return pairs

    def ref_key(p: Provision) -> str:
        return " ".join(p.ref.split()).casefold()

    # Same words first: a renumbered provision may take over the ref of a removed one.
    found, free_old, free_new = _unique_matches(old, new, free_old, free_new, _words_of)
    pairs += [(i, j, "ref" if ref_key(old[i]) == ref_key(new[j]) else "text") for i, j in found]
    found, free_old, free_new = _unique_matches(old, new, free_old, free_new, ref_key)
    # A ref alone is weak (articles get renumbered): it counts only for provisions on a common issue.
    for i, j in found:
        if set(old[i].issues) & set(new[j].issues):
            pairs.append((i, j, "ref"))
        else:
            free_old.append(i)
            free_new.append(j)
    pairs += [(i, j, "text") for i, j in _similar_matches(old, new, free_old, free_new)]
    return pairs


def _unique_matches(
    old: Sequence[Provision],
    new: Sequence[Provision],
    free_old: list[int],
    free_new: list[int],
    key: Callable[[Provision], Hashable | None],
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    old_keys = {i: key(old[i]) for i in free_old}
    new_keys = {j: key(new[j]) for j in free_new}
    old_count = Counter(k for k in old_keys.values() if k is not None)
    new_where: dict[Hashable, int] = {}
    new_count: Counter[Hashable] = Counter()
    for j, k in new_keys.items():
        if k is not None:
            new_count[k] += 1
            new_where[k] = j
    found = []
    for i, k in old_keys.items():
        if k is not None and old_count[k] == 1 and new_count[k] == 1:
            found.append((i, new_where[k]))
    taken_old = {i for i, _ in found}
    taken_new = {j for _, j in found}
    return found, [i for i in free_old if i not in taken_old], [j for j in free_new if j not in taken_new]


def _similar_matches(
    old: Sequence[Provision], new: Sequence[Provision], free_old: list[int], free_new: list[int]
) -> list[tuple[int, int]]:
    def tokens(p: Provision) -> frozenset[str]:
        words = _words_of(p)
        return frozenset(_WORDS.findall(words.casefold())) if words else frozenset()

    new_tokens = {j: tokens(new[j]) for j in free_new}
    postings: dict[str, list[int]] = {}
    for j, toks in new_tokens.items():
        for t in toks:
            postings.setdefault(t, []).append(j)
    scored: list[tuple[float, int, int]] = []
    for i in free_old:
        mine = tokens(old[i])
        if not mine:
            continue
        probes = sorted(mine, key=lambda t: (len(postings.get(t, ())), t))[:_PROBE_WORDS]
        candidates: dict[int, None] = {}
        for t in probes:
            for j in postings.get(t, ()):
                candidates.setdefault(j, None)
                if len(candidates) >= _MAX_CANDIDATES:
                    break
        for j in candidates:
            theirs = new_tokens[j]
            small, large = sorted((len(mine), len(theirs)))
            if small < SIMILARITY * large:  # Jaccard cannot reach the threshold
                continue
            shared = len(mine & theirs)
            score = shared / (len(mine) + len(theirs) - shared)
            if score >= SIMILARITY:
                scored.append((-score, i, j))
    found: list[tuple[int, int]] = []
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for _, i, j in sorted(scored):
        if i not in taken_old and j not in taken_new:
            found.append((i, j))
            taken_old.add(i)
            taken_new.add(j)
    return found


def _moved(pairs: Sequence[tuple[int, int, str]]) -> set[tuple[int, int]]:
    """The pairs outside the longest run that kept its relative order (a longest increasing subsequence)."""
    ordered = sorted((i, j) for i, j, _ in pairs)
    tails: list[int] = []  # tails[k]: index into `ordered` ending the best run of length k + 1
    previous: list[int] = [-1] * len(ordered)
    tail_values: list[int] = []
    for n, (_, j) in enumerate(ordered):
        k = bisect.bisect_left(tail_values, j)
        if k == len(tails):
            tails.append(n)
            tail_values.append(j)
        else:
            tails[k] = n
            tail_values[k] = j
        previous[n] = tails[k - 1] if k > 0 else -1
    keep: set[int] = set()
    n = tails[-1] if tails else -1
    while n != -1:
        keep.add(n)
        n = previous[n]
    return {pair for n, pair in enumerate(ordered) if n not in keep}


# --- field changes --------------------------------------------------------------------------------


def _normal(provision: Provision, id_map: dict[str, str] | None) -> dict[str, Any]:
    data = provision.model_dump(mode="json")
    data["issues"] = sorted(data["issues"])
    linked = data["linked_to"]
    data["linked_to"] = sorted(id_map.get(x, x) for x in linked) if id_map is not None else sorted(linked)
    keyed: dict[str, Any] = {}
    for link in data["responds_to"]:
        key, n = link["to"], 1
        while key in keyed:
            n += 1
            key = f"{link['to']} ({n})"
        keyed[key] = {k: v for k, v in link.items() if k != "to"}
    data["responds_to"] = keyed
    return data


def field_changes(old: Provision, new: Provision, id_map: dict[str, str] | None = None) -> tuple[FieldChange, ...]:
    """The fields that differ between two matched provisions, in schema order.

    ``id_map`` (old id → new id) lets a renumbered provision's ``linked_to`` count as unchanged.
    """
    if old == new:
        return ()
    before, after = _normal(old, id_map), _normal(new, None)
    if before == after:
        return ()
    found: list[FieldChange] = []
    for name in _FIELDS:
        a, b = before.get(name), after.get(name)
        if a == b:
            continue
        if name in _ATOMIC or not a or not b:
            found.append(FieldChange(name, a, b))
        else:
            found += _nested_changes(name, a, b)
    return tuple(found)


def _nested_changes(name: str, old: Any, new: Any) -> list[FieldChange]:
    from deepdiff import DeepDiff
    from deepdiff.helper import notpresent

    diff = DeepDiff(old, new, ignore_order=False, view="tree", verbose_level=2)
    found = []
    for report in sorted(diff):
        for level in diff[report]:
            path = _path(name, level.path(output_format="list"))
            t1 = None if level.t1 is notpresent else level.t1
            t2 = None if level.t2 is notpresent else level.t2
            found.append(FieldChange(path, t1, t2))
    return sorted(found, key=lambda f: _path_key(f.path))


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _path(name: str, parts: Sequence[Any]) -> str:
    out = name
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENT.match(str(part)):
            out += f".{part}"
        else:
            out += f'["{part}"]'
    return out


def _path_key(path: str) -> list[tuple[int, int | str]]:
    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.findall(r"\d+|[^\[\].\"]+", path)]


# --- redline --------------------------------------------------------------------------------------


def _tokens(text: str | None) -> list[str]:
    # Words and punctuation marks, each with the (normalised) space before it, so that joining the
    # kept and struck pieces gives back the old text and the kept and added pieces the new one.
    return [(" " if t[0].isspace() else "") + t.lstrip() for t in _TOKENS.findall((text or "").strip())]


def redline_pieces(old: str | None, new: str | None) -> tuple[RedlinePiece, ...]:
    """A word-level diff of two texts: runs of kept, struck and added words.

    Each piece keeps the space before it, so the ``equal`` and ``delete`` pieces joined give the old
    text (with runs of white space as one space) and the ``equal`` and ``insert`` pieces the new one.

    >>> [(p.op, p.text) for p in redline_pieces("no new dam.", "no new large dam.")]
    [('equal', 'no new'), ('insert', ' large'), ('equal', ' dam.')]
    """
    a, b = _tokens(old), _tokens(new)
    matcher = SequenceMatcher(None, [t.lstrip() for t in a], [t.lstrip() for t in b], autojunk=False)
    pieces: list[RedlinePiece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(RedlinePiece("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(RedlinePiece("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(RedlinePiece("insert", "".join(b[j1:j2])))
    return tuple(pieces)


def render_redline(pieces: Sequence[RedlinePiece]) -> str:
    """The redline as one line of text: ``[-struck words-]`` and ``{+added words+}``.

    >>> render_redline(redline_pieces("at least 40 per cent.", "at least 50 per cent."))
    'at least [-40-] {+50+} per cent.'
    """
    out = []
    previous = ""
    for piece in pieces:
        body = piece.text.lstrip()
        space = piece.text[: len(piece.text) - len(body)]
        if piece.op == "equal":
            out.append(piece.text)
        elif piece.op == "delete":
            out.append(f"{space}[-{body}-]")
        else:
            # A replacement at the very start (or of a glued punctuation mark) still reads as two words.
            out.append(f"{space or (' ' if previous == 'delete' else '')}{{+{body}+}}")
        previous = piece.op
    return "".join(out)
