"""``negotiation init``: a new dossier folder that validates at once.

>>> files = starter_files("talks-2027")
>>> sorted(p.name for p in files)
['README.md', 'dossier.yaml']
"""

from __future__ import annotations

import re
from pathlib import Path

from negotiation.errors import UsageError
from negotiation.io import check_name, write_files

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

# A starter taxonomy: the few headings almost every negotiated text has, so the first imports can be
# coded at once; analysts rename, split and add codes as their own negotiation needs.
_DOSSIER = """\
schema_version: 1
id: {id}
title: {id}
description: >-
  A new dossier. Name the parties, shape the issue taxonomy, then import each party's documents
  (see README.md).
parties:
  - id: party-a
    name: Party A
    kind: state
  - id: party-b
    name: Party B
    kind: state
issues:
  - code: principles
    title: Principles
    description: General principles the parties invoke (preambles, purposes, shared values).
  - code: obligations
    title: Obligations
    description: What a party undertakes to do or not to do.
  - code: verification
    title: Verification and compliance
    description: How the parties check that commitments are kept, and what happens when they are not.
  - code: institutions
    title: Institutions and consultation
    description: Bodies, meetings and mechanisms the parties set up or use to talk.
  - code: final-clauses
    title: Final clauses
    description: Entry into force, duration, withdrawal, amendment, languages.
positions: []
"""

_README = """\
# {id}

A negotiation dossier made by `negotiation init`. It is valid as it stands: `negotiation validate {folder}`.

Next steps:

1. Edit `dossier.yaml`: the title, the parties (ids are short lower-case names) and the issue taxonomy.
2. Put each party's documents under `sources/` and import them, one position per document:
   `negotiation import sources/draft.docx --party party-a --date 2027-01-15 --output {folder}/party-a-draft.yaml`
   and add the new position's id to `positions:` in `dossier.yaml`.
3. Code the imported provisions (issues, stance, links to the provisions they answer); the provisions
   stay valid while uncoded, and `negotiation validate` counts them.
4. Compare: `negotiation matrix --dossier {folder}`.
"""


def starter_files(dossier_id: str, folder: str = ".") -> dict[Path, str]:
    """The files of a new dossier ``dossier_id`` in ``folder``, by path (nothing is written)."""
    if not _ID.match(dossier_id) or len(dossier_id) > 120:
        raise UsageError(
            f"{dossier_id!r}: a dossier id is lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    base = Path(folder)
    return {
        base / "dossier.yaml": _DOSSIER.format(id=dossier_id),
        base / "README.md": _README.format(id=dossier_id, folder=folder),
    }


def init_dossier(folder: str | Path, dossier_id: str | None = None) -> list[Path]:
    """Create the dossier folder ``folder`` (new or empty) with its starter files; return their paths.

    The id defaults to the folder's name in lower case with other characters turned into '-'.
    """
    path = Path(folder)
    check_name(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise UsageError(f"{folder}: exists and is not an empty folder; init makes a new dossier")
    name = dossier_id or re.sub(r"[^a-z0-9._-]+", "-", path.resolve().name.lower()).strip("-._") or "dossier"
    files = starter_files(name, str(folder))
    path.mkdir(parents=True, exist_ok=True)
    write_files(dict(files))
    return sorted(files)
