"""Hypothesis strategies shared by the property tests: positions with random provisions over the
fixture taxonomy (tests/data/engine/water), and responses that link to them."""

from __future__ import annotations

from hypothesis import strategies as st

from negotiation.schema import RELATIONS, STANCES, Link, Obligation, Position, Provenance, Provision, SourceRef

#: The fixture dossier's issue codes (a test checks they match its taxonomy).
ISSUES: tuple[str, ...] = (
    "allocation",
    "allocation.dry-season",
    "allocation.flood-season",
    "dams",
    "dams.new-construction",
    "dams.data-sharing",
    "quality",
    "disputes",
    "disputes.commission",
    "disputes.arbitration",
    "fisheries",
    "research",
    "navigation",
)
PARTIES = ("north", "south")
_WORDS = ("river", "flow", "dam", "share", "notify", "gauge", "season", "quota", "vessel", "basin", "shall", "not")


@st.composite
def provision_bodies(draw: st.DrawFn) -> dict[str, object]:
    """The fields of one provision, without id and ref (those depend on its place)."""
    issues = draw(st.lists(st.sampled_from(ISSUES), min_size=1, max_size=2, unique=True))
    text = draw(st.none() | st.lists(st.sampled_from(_WORDS), min_size=3, max_size=10).map(" ".join))
    obligations = draw(
        st.lists(
            st.builds(
                Obligation,
                obligors=st.lists(st.sampled_from(PARTIES), min_size=1, max_size=2, unique=True).map(tuple),
                reciprocal=st.booleans(),
            ),
            max_size=1,
        )
    )
    return {
        "issues": tuple(issues),
        "stance": draw(st.sampled_from(STANCES)),
        "text": text,
        "text_status": "missing" if text is None else "reported",
        "sources": () if text is None else (SourceRef(witness="test"),),
        "obligations": tuple(obligations),
    }


def _position(pid: str, party: str, provisions: list[Provision], responds_to: tuple[str, ...] = ()) -> Position:
    return Position(
        schema_version=1,
        id=pid,
        party=party,
        kind="other",
        title=pid,
        responds_to=responds_to,
        provenance=Provenance(authenticity="fictional"),
        provisions=tuple(provisions),
    )


@st.composite
def positions(draw: st.DrawFn, pid: str = "left", party: str = "north", max_size: int = 8) -> Position:
    """A position with up to ``max_size`` provisions, ids ``<pid>-<n>`` and refs ``Art. <n>`` in order."""
    bodies = draw(st.lists(provision_bodies(), max_size=max_size))
    provisions = [Provision(id=f"{pid}-{n}", ref=f"Art. {n}", **b) for n, b in enumerate(bodies)]  # type: ignore[arg-type]
    return _position(pid, party, provisions)


@st.composite
def responses(draw: st.DrawFn, answered: Position, pid: str = "right", party: str = "south") -> Position:
    """A position of the other party answering ``answered``: some provisions link to its provisions."""
    base = draw(positions(pid, party))
    targets = [p.id for p in answered.provisions]
    provisions = []
    for provision in base.provisions:
        links: tuple[Link, ...] = ()
        if targets and draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=2, unique=True))
            links = tuple(Link(to=f"{answered.id}#{t}", relation=draw(st.sampled_from(RELATIONS))) for t in chosen)
        provisions.append(provision.model_copy(update={"responds_to": links}))
    return _position(pid, party, provisions, responds_to=(answered.id,))


@st.composite
def exchanges(draw: st.DrawFn) -> tuple[Position, Position]:
    """A position and a response to it."""
    left = draw(positions())
    return left, draw(responses(left))


def renumbered(position: Position, permutation: list[int], prefix: str = "renum") -> tuple[Position, dict[str, str]]:
    """``position`` with its provisions reordered by ``permutation`` and given new ids (refs and words kept).

    Returns the new position and the map old id → new id.
    """
    id_map = {p.id: f"{prefix}-{n}" for n, p in enumerate(position.provisions)}
    provisions = [position.provisions[i] for i in permutation]
    renamed = [p.model_copy(update={"id": id_map[p.id]}) for p in provisions]
    return position.model_copy(update={"provisions": tuple(renamed)}), id_map


def retarget(position: Position, answered: str, id_map: dict[str, str]) -> Position:
    """``position`` with its links to ``answered`` following that position's renumbering."""
    provisions = []
    for p in position.provisions:
        links = tuple(
            link.model_copy(update={"to": f"{answered}#{id_map[link.provision]}"})
            if link.position == answered
            else link
            for link in p.responds_to
        )
        provisions.append(p.model_copy(update={"responds_to": links}))
    return position.model_copy(update={"provisions": tuple(provisions)})
