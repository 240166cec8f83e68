"""Limits and defaults of the package space, kept apart so the CLI can name them without importing it."""

#: Spaces up to this many packages are enumerated; larger ones are sampled.
EXHAUSTIVE_LIMIT = 200_000
#: Packages drawn when a space is sampled.
DEFAULT_SAMPLES = 20_000
#: The fixed seed of a sample, so counts repeat.
DEFAULT_SEED = 20220126
