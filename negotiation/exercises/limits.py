"""Limits, budgets and defaults of the package space, kept apart so the CLI can name them without importing it.

Every enumeration has a budget (docs/security.md, "Limits"); past it the command stops with a
message that names the budget and what to change, instead of running for hours.
"""

from negotiation.errors import UsageError

#: Spaces up to this many packages are enumerated; larger ones are sampled.
EXHAUSTIVE_LIMIT = 200_000
#: Packages drawn when a space is sampled.
DEFAULT_SAMPLES = 20_000
#: The fixed seed of a sample, so counts repeat.
DEFAULT_SEED = 20220126
#: The most packages one ``space`` scores (enumerated or sampled): ``--limit`` and ``--samples``
#: above it are refused. Scoring costs a few microseconds per package and party.
MAX_PACKAGES = 1_000_000
#: The most steps (points visited) the Pareto front of four or more parties may take (two and three
#: parties use sweeps that need no budget): about 0.6 million a second here, so about 5 s. Past it
#: the command asks for fewer packages.
PARETO_BUDGET = 3_000_000
#: The most candidate packages ``--nearest`` scores before it gives up.
NEAREST_BUDGET = 1_000_000


class BudgetExceeded(UsageError):
    """An enumeration would pass its documented budget (negotiation.exercises.limits)."""
