"""Where the tool finds things: the bundled dossiers and example exercises, and its cache folder.

A light module (no models, no parsing), so that a run answered from the cache never imports them.

>>> bundled_dossier_path().name
'security-guarantees-2021-2022'
"""

from __future__ import annotations

import os
from pathlib import Path

from negotiation.io import DOSSIER_FILE_NAMES

BUNDLED_DOSSIER_ID = "security-guarantees-2021-2022"
_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    # Inside the wheel the folder sits in the package; in a checkout, at the top of the repository.
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def bundled_root() -> Path:
    """The folder holding the bundled dossiers (inside the installed package, or the checkout)."""
    return _shipped("positions")


def bundled_dossier_path(dossier_id: str = BUNDLED_DOSSIER_ID) -> Path:
    """The folder of a bundled dossier by id."""
    return bundled_root() / dossier_id


def bundled_examples() -> Path:
    """The example exercises shipped with the tool (inside the installed package, or the checkout)."""
    return _shipped("examples")


def shipped(path: str) -> str:
    """``path`` as given, unless it does not exist and names a folder the tool ships (``positions/...``,
    ``examples/...``): then the same path in the shipped copy, so that the documented commands,
    written from the root of a checkout, work from an installed package in any folder.

    >>> shipped("examples/karst-lake-basin-accord").endswith("examples/karst-lake-basin-accord")
    True
    >>> shipped("no/such/file.yaml")
    'no/such/file.yaml'
    """
    parts = Path(path).parts
    if not parts or parts[0] not in ("positions", "examples") or os.path.lexists(path):
        return path
    candidate = _shipped(parts[0]).joinpath(*parts[1:])
    return str(candidate) if candidate.exists() else path


def dossier_folder(path: str | Path | None) -> tuple[Path, str]:
    """The dossier folder a path names (the bundled dossier for None; a dossier file's folder), and how
    to show it in messages.

    >>> dossier_folder("tests/data/valid/lake-varna/dossier.yaml")
    (PosixPath('tests/data/valid/lake-varna'), 'tests/data/valid/lake-varna')
    """
    folder = Path(path) if path is not None else bundled_dossier_path()
    shown = str(path) if path is not None else str(folder)
    if folder.is_file() and folder.name in DOSSIER_FILE_NAMES:
        folder, shown = folder.parent, os.path.dirname(shown) or "."
    return folder, shown


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is turned off: ``$NEGOTIATION_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/negotiation``, else ``~/.cache/negotiation``; ``NEGOTIATION_NO_CACHE=1`` turns
    it off."""
    if os.environ.get("NEGOTIATION_NO_CACHE"):
        return None
    explicit = os.environ.get("NEGOTIATION_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "negotiation"
