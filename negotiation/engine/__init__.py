"""The comparison engine: pure functions from positions to verdicts, matrices, changes and balances.

Modules follow the work: ``decision`` (the stance table), ``compare`` (two positions, issue by
issue), ``matrix`` (a whole dossier), ``changes`` (two versions), ``packages`` and ``balance``,
``views`` (results as neutral tables). ``model`` holds the result types and their JSON contracts.
Nothing here prints, reads files or imports a heavy library at import time.
"""
