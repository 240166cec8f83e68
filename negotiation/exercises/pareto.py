"""The Pareto front of scored packages: which points no other point dominates, within a budget.

Pure geometry on tuples of points, one coordinate per scored party; :mod:`negotiation.exercises.space`
and :mod:`negotiation.exercises.debrief` give it the packages' points. Two and three parties take a
sort and a sweep; four or more divide and conquer within :data:`PARETO_BUDGET` steps.
"""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Sequence

from negotiation.exercises.limits import PARETO_BUDGET, BudgetExceeded


def pareto_front(points: Sequence[tuple[float, ...]], *, budget: int = PARETO_BUDGET) -> list[int]:
    """Indices of the points no other point dominates (>= everywhere, > somewhere), in input order.

    Identical points neither dominate each other: both are kept. Output-sensitive: equal points are
    merged first, then two coordinates take one sort and a sweep, three a sort and a staircase
    (O(n log n) comparisons, a list insertion each); four or more divide and conquer in
    O(n log^(d-2) n) steps, at most ``budget`` of them (:class:`BudgetExceeded` past it).

    >>> pareto_front([(1, 2), (2, 1), (1, 1), (2, 2)])
    [3]
    >>> pareto_front([(1, 2), (2, 1), (1, 1)])
    [0, 1]
    >>> pareto_front([(1, 2, 3), (3, 2, 1), (1, 2, 2), (1, 2, 3)])
    [0, 1, 3]
    """
    groups: dict[tuple[float, ...], list[int]] = {}
    for k, p in enumerate(points):
        groups.setdefault(tuple(p), []).append(k)
    # Descending lexicographic order: a point can only be dominated by one that comes before it.
    unique = sorted(groups, reverse=True)
    dims = len(unique[0]) if unique else 0
    if dims <= 1:
        kept = unique[:1]
    elif dims == 2:
        kept = _front_2d(unique)
    elif dims == 3:
        kept = _front_3d(unique)
    else:
        kept = _front_any(unique, budget)
    return sorted(k for p in kept for k in groups[p])


def _front_2d(unique: Sequence[tuple[float, ...]]) -> list[tuple[float, ...]]:
    # After (x desc, y desc): p is dominated iff an earlier point has y >= p.y (its x is >= p.x and it differs).
    kept: list[tuple[float, ...]] = []
    best = -math.inf
    for p in unique:
        if p[1] > best:
            kept.append(p)
            best = p[1]
    return kept


def _front_3d(unique: Sequence[tuple[float, ...]]) -> list[tuple[float, ...]]:
    # After (x desc, ...): p is dominated iff an earlier point has y >= p.y and z >= p.z. The earlier
    # points' (y, z) staircase is kept with y ascending and z descending, so the best z among those
    # with y >= p.y is the first of them: one bisection per point.
    kept: list[tuple[float, ...]] = []
    ys: list[float] = []
    zs: list[float] = []
    for p in unique:
        _, y, z = p
        i = bisect.bisect_left(ys, y)
        if i < len(ys) and zs[i] >= z:
            continue
        kept.append(p)
        # p joins the staircase; the steps it covers (y <= p.y and z <= p.z) leave it.
        j = i
        while j > 0 and zs[j - 1] <= z:
            j -= 1
        if i < len(ys) and ys[i] == y:
            i += 1  # the step of equal y has a smaller z (else p was dominated): p replaces it
        del ys[j:i], zs[j:i]
        ys.insert(j, y)
        zs.insert(j, z)
    return kept


#: Below this many points (or pairs) a plain scan is faster than dividing further.
_SMALL = 32


class _Work:
    """Counts the points a front of four or more parties visits; past ``budget`` it stops the search."""

    def __init__(self, budget: int, size: int, dims: int) -> None:
        self.left, self.budget, self.size, self.dims = budget, budget, size, dims

    def spend(self, amount: int) -> None:
        self.left -= amount
        if self.left < 0:
            raise BudgetExceeded(
                f"the Pareto front of {self.size} distinct points for {self.dims} parties needs more than "
                f"{self.budget} steps (the budget); sample fewer packages with --limit and --samples"
            )


def _front_any(unique: Sequence[tuple[float, ...]], budget: int) -> list[tuple[float, ...]]:
    # Divide and conquer (Kung, Luccio and Preparata): the front of the first half (larger first
    # coordinate) and of the second, then the second's points that no point of the first dominates
    # in the remaining coordinates. O(n log^(d-2) n) steps for d parties, within ``budget``.
    work = _Work(budget, len(unique), len(unique[0]))
    return _front_dc(unique, work)


def _front_dc(unique: Sequence[tuple[float, ...]], work: _Work) -> list[tuple[float, ...]]:
    if len(unique) <= _SMALL:
        work.spend(len(unique) ** 2)
        return [p for i, p in enumerate(unique) if not any(all(map(operator.ge, q, p)) for q in unique[:i])]
    half = len(unique) // 2
    upper = _front_dc(unique[:half], work)
    return upper + _undominated(upper, _front_dc(unique[half:], work), 1, work)


def _undominated(
    above: Sequence[tuple[float, ...]], points: Sequence[tuple[float, ...]], k: int, work: _Work
) -> list[tuple[float, ...]]:
    """The ``points`` that no point of ``above`` weakly dominates in coordinates k and after (in order).

    Every point of ``above`` is at least as large in the coordinates before k, and differs.
    """
    if not above or not points:
        return list(points)
    work.spend(len(above) + len(points))
    dims = len(points[0])
    if dims - k == 1:
        best = max(p[k] for p in above)
        return [q for q in points if q[k] > best]
    if dims - k == 2:
        # Sweep coordinate k downwards (dominators first on ties), keeping the best next coordinate.
        events = sorted(
            [(-p[k], 0, p[k + 1], -1) for p in above] + [(-q[k], 1, q[k + 1], i) for i, q in enumerate(points)]
        )
        best = -math.inf
        keep: list[int] = []
        for _, is_point, y, i in events:
            if not is_point:
                best = max(best, y)
            elif y > best:
                keep.append(i)
        return [points[i] for i in sorted(keep)]
    if len(above) * len(points) <= _SMALL * _SMALL:
        return [q for q in points if not any(all(map(operator.ge, p[k:], q[k:])) for p in above)]
    values = sorted({x[k] for x in above} | {x[k] for x in points})
    if len(values) == 1:
        return _undominated(above, points, k + 1, work)
    middle = values[len(values) // 2]
    above_hi = [p for p in above if p[k] >= middle]
    above_lo = [p for p in above if p[k] < middle]
    high = _undominated(above_hi, [q for q in points if q[k] >= middle], k, work)
    # A low point is beaten on coordinate k by every high dominator: only the rest of it counts.
    low = [q for q in points if q[k] < middle]
    low = _undominated(above_lo, _undominated(above_hi, low, k + 1, work), k, work)
    kept = set(high) | set(low)
    return [q for q in points if q in kept]
