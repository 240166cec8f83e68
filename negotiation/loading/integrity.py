"""Cross-file rules: ids unique, codes and parties known, links resolvable, chains sound, dates in order."""

from __future__ import annotations

from collections.abc import Sequence

from negotiation.errors import Problem
from negotiation.loading.parse import Document
from negotiation.loading.record import LoadedDossier
from negotiation.loading.validate import field_path
from negotiation.schema import Position, Provision


class _Reporter:
    """Collects problems for one file, locating each field through the file's Document."""

    def __init__(self, doc: Document | None, path: str) -> None:
        self.doc = doc
        self.path = path
        self.problems: list[Problem] = []

    def add(self, loc: Sequence[str | int], message: str) -> None:
        line, column = self.doc.locate(loc) if self.doc is not None and self.doc.data is not None else (0, 0)
        self.problems.append(Problem(self.path, line, column, field_path(loc), message))


def check_integrity(
    record: LoadedDossier,
    docs: dict[str, Document],
    dossier_doc: Document | None = None,
    unloaded: frozenset[str] = frozenset(),
    loose: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every cross-file problem of ``record``; ``docs`` locate the fields of each position file.

    References to ``unloaded`` positions (files that failed to load) are not reported again.
    ``loose`` positions are checked against the dossier without belonging to it (a trainee's
    counter-proposal, say), so they need not be listed in its ``positions``.
    """
    dossier = record.dossier
    out = _Reporter(dossier_doc, dossier_doc.path if dossier_doc else record.id)
    party_ids = set()
    members: set[str] = set()
    for i, party in enumerate(dossier.parties):
        if party.id in party_ids:
            out.add(("parties", i, "id"), f"duplicate party id '{party.id}'")
        party_ids.add(party.id)
        members.update(party.members)
        if party.decision_rule is not None:
            for veto in party.decision_rule.vetoes:
                if veto not in party.members:
                    out.add(("parties", i, "decision_rule", "vetoes"), f"'{veto}' is not a member of '{party.id}'")
            if party.decision_rule.k is not None and party.decision_rule.k > max(len(party.members), 1):
                out.add(("parties", i, "decision_rule", "k"), f"k is larger than the {len(party.members)} members")
    codes: set[str] = set()
    for i, issue in enumerate(dossier.issues):
        if issue.code in codes:
            out.add(("issues", i, "code"), f"duplicate issue code '{issue.code}'")
        codes.add(issue.code)
    for i, issue in enumerate(dossier.issues):
        if issue.parent is not None and issue.parent not in codes:
            out.add(("issues", i, "code"), f"parent issue '{issue.parent}' is not in the taxonomy")
    listed = set()
    for i, pid in enumerate(dossier.positions):
        if pid in listed:
            out.add(("positions", i), f"position '{pid}' is listed twice")
        listed.add(pid)
        if pid not in record.positions and pid not in unloaded:
            out.add(("positions", i), f"no position file with id '{pid}'")
    problems = out.problems
    known_actors = party_ids | members
    for pid, position in record.positions.items():
        doc = docs.get(pid)
        rep = _Reporter(doc, record.files.get(pid, pid))
        if dossier.positions and pid not in listed and pid not in loose:
            rep.add(("id",), f"position '{pid}' is not listed in the dossier's positions")
        _check_position(record, position, rep, codes, party_ids, known_actors, unloaded)
        problems += rep.problems
    problems += _check_chains(record, docs)
    problems += _check_response_cycles(record, docs)
    return problems


def _check_position(
    record: LoadedDossier,
    position: Position,
    rep: _Reporter,
    codes: set[str],
    party_ids: set[str],
    actors: set[str],
    unloaded: frozenset[str] = frozenset(),
) -> None:
    _check_header(record, position, rep, party_ids, unloaded)
    provision_ids: set[str] = set()
    for i, provision in enumerate(position.provisions):
        if provision.id in provision_ids:
            rep.add(("provisions", i, "id"), f"duplicate provision id '{provision.id}'")
        provision_ids.add(provision.id)
    for i, provision in enumerate(position.provisions):
        _check_provision(provision, ("provisions", i), rep, codes, actors, provision_ids)
        _check_provision_links(record, position, provision, ("provisions", i), rep, unloaded)
    for i, package in enumerate(position.packages):
        for j, member in enumerate(package.provisions):
            if member not in provision_ids:
                rep.add(("packages", i, "provisions", j), f"no provision '{member}' in this position")


def _check_header(
    record: LoadedDossier, position: Position, rep: _Reporter, party_ids: set[str], unloaded: frozenset[str]
) -> None:
    # The position's own fields: its dossier, parties, and the positions it answers or replaces.
    if position.dossier is not None and position.dossier != record.id:
        rep.add(("dossier",), f"names dossier '{position.dossier}' but is loaded in '{record.id}'")
    if position.party not in party_ids:
        rep.add(("party",), f"unknown party '{position.party}'")
    for i, addressee in enumerate(position.addressees):
        if addressee not in party_ids:
            rep.add(("addressees", i), f"unknown party '{addressee}'")
    for i, answered in enumerate(position.responds_to):
        if answered == position.id:
            rep.add(("responds_to", i), "a position cannot respond to itself")
        elif answered not in record.positions:
            if answered not in unloaded:
                rep.add(("responds_to", i), f"unknown position '{answered}'")
        else:
            _check_order(record.positions[answered], position, rep, ("responds_to", i))
    if position.supersedes is not None:
        old = record.positions.get(position.supersedes)
        if position.supersedes == position.id:
            rep.add(("supersedes",), "a position cannot supersede itself")
        elif old is None:
            if position.supersedes not in unloaded:
                rep.add(("supersedes",), f"unknown position '{position.supersedes}'")
        elif old.party != position.party:
            rep.add(("supersedes",), f"supersedes a position of another party ('{old.party}')")


def _check_provision(
    provision: Provision,
    here: tuple[str, int],
    rep: _Reporter,
    codes: set[str],
    actors: set[str],
    provision_ids: set[str],
) -> None:
    # What one provision names inside its dossier and its own position: issues, parties, linked provisions.
    for j, code in enumerate(provision.issues):
        if code not in codes:
            rep.add((*here, "issues", j), f"unknown issue code '{code}'")
    for j, obligation in enumerate(provision.obligations):
        for role in ("obligors", "beneficiaries"):
            for k, actor in enumerate(getattr(obligation, role)):
                if actor not in actors:
                    rep.add((*here, "obligations", j, role, k), f"unknown party '{actor}'")
    for j, condition in enumerate(provision.conditions):
        if condition.party is not None and condition.party not in actors:
            rep.add((*here, "conditions", j, "party"), f"unknown party '{condition.party}'")
    for j, linked in enumerate(provision.linked_to):
        if linked == provision.id:
            rep.add((*here, "linked_to", j), "a provision cannot be linked to itself")
        elif linked not in provision_ids:
            rep.add((*here, "linked_to", j), f"no provision '{linked}' in this position")


def _check_provision_links(
    record: LoadedDossier,
    position: Position,
    provision: Provision,
    here: tuple[str, int],
    rep: _Reporter,
    unloaded: frozenset[str],
) -> None:
    # The provisions of other positions this one answers: they exist, and came first.
    for j, link in enumerate(provision.responds_to):
        loc = (*here, "responds_to", j, "to")
        target = record.positions.get(link.position)
        if link.position == position.id:
            rep.add(loc, "links must point to another position")
        elif target is None:
            if link.position not in unloaded:
                rep.add(loc, f"unknown position '{link.position}'")
        elif target.provision(link.provision) is None:
            rep.add(loc, f"no provision '{link.provision}' in position '{link.position}'")
        else:
            _check_order(target, position, rep, loc)


def _check_order(answered: Position, response: Position, rep: _Reporter, loc: Sequence[str | int]) -> None:
    if answered.date is not None and response.date is not None and response.date < answered.date:
        rep.add(
            loc,
            f"answers '{answered.id}' of {answered.date.isoformat()} but is dated {response.date.isoformat()}",
        )


def _check_chains(record: LoadedDossier, docs: dict[str, Document]) -> list[Problem]:
    problems: list[Problem] = []
    reported: set[str] = set()
    for start in record.positions:
        seen: list[str] = []
        current: str | None = start
        while current is not None and current in record.positions:
            if current in seen:
                cycle = seen[seen.index(current) :]
                # A position superseding itself is reported where it is checked, as that.
                if len(cycle) > 1 and not reported.intersection(cycle):
                    first = min(cycle)
                    rep = _Reporter(docs.get(first), record.files.get(first, first))
                    rep.add(("supersedes",), "version cycle: " + " -> ".join([*cycle, current]))
                    problems += rep.problems
                    reported.update(cycle)
                break
            seen.append(current)
            current = record.positions[current].supersedes
    return problems


def _check_response_cycles(record: LoadedDossier, docs: dict[str, Document]) -> list[Problem]:
    """A position cannot answer, directly or through others, a position that answers it."""
    edges: dict[str, dict[str, tuple[str | int, ...]]] = {}
    for pid, position in record.positions.items():
        out: dict[str, tuple[str | int, ...]] = {}
        for i, answered in enumerate(position.responds_to):
            out.setdefault(answered, ("responds_to", i))
        for i, provision in enumerate(position.provisions):
            for j, link in enumerate(provision.responds_to):
                out.setdefault(link.position, ("provisions", i, "responds_to", j, "to"))
        # Self-references are reported where they are checked; unknown targets likewise.
        edges[pid] = {q: loc for q, loc in out.items() if q != pid and q in record.positions}
    problems: list[Problem] = []
    for component in _strongly_connected(edges):
        if len(component) < 2:
            continue
        start = min(component)
        cycle = _shortest_cycle(start, edges, component)
        rep = _Reporter(docs.get(start), record.files.get(start, start))
        rep.add(edges[start][cycle[1]], "response cycle: " + " -> ".join(cycle))
        problems += rep.problems
    return problems


def _strongly_connected(edges: dict[str, dict[str, tuple[str | int, ...]]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively (a hostile dossier may be deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def _shortest_cycle(start: str, edges: dict[str, dict[str, tuple[str | int, ...]]], within: set[str]) -> list[str]:
    """The shortest path from ``start`` back to itself inside one component, as a list of ids."""
    previous: dict[str, str] = {}
    queue = [start]
    for node in queue:
        for child in sorted(edges[node]):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [start, *reversed(path[:-1]), start] if node != start else [start, start]
            if child in within and child not in previous:
                previous[child] = node
                queue.append(child)
    return [start, start]
