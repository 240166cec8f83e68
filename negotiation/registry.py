"""Fixed tables of named entries ("module:attribute"), each imported the first time it is used.

A lower floor of the library (rendering, schemas, validation) names what a higher floor provides
(the HTML report, the exercise schemas, the exercise validator) without importing it, so no import
circle can form and importing the lower floor stays cheap. Every table is declared in one place, in
full; nothing registers itself as a side effect of being imported.

A module that cannot be imported because an optional library is missing is a :class:`DependencyError`
(one line naming the extra to install); any other failure to import is a bug, raised as a
:class:`BrokenEntryError` (the CLI's internal error, exit 3), never taken for an unknown name.

>>> resolve("format", "csv", Entry("negotiation.render:render_csv")).__name__
'render_csv'
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from negotiation.errors import DependencyError


@dataclass(frozen=True)
class Entry:
    """Where one named entry lives: ``target`` is ``"package.module:attribute"``.

    ``extra`` names the optional dependency group (``pip install 'negotiation[extra]'``) whose
    libraries the module needs; without it, a missing library is a broken install, not a choice.
    """

    target: str
    extra: str | None = None


class BrokenEntryError(RuntimeError):
    """A declared entry's module failed to import or lacks its attribute: a bug, not a user mistake."""


def resolve(kind: str, name: str, entry: Entry) -> Any:
    """Import ``entry`` and return its attribute; ``kind`` and ``name`` word the error messages."""
    module_name, _, attribute = entry.target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").split(".")[0]
        if entry.extra is not None and missing and missing != "negotiation":
            raise DependencyError(
                f"{kind} '{name}' needs the {entry.extra} extra: pip install 'negotiation[{entry.extra}]'"
            ) from None
        raise BrokenEntryError(f"{kind} '{name}': cannot import {module_name}: {exc}") from exc
    except Exception as exc:
        raise BrokenEntryError(f"{kind} '{name}': cannot import {module_name}: {type(exc).__name__}: {exc}") from exc
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise BrokenEntryError(f"{kind} '{name}': {module_name} has no attribute '{attribute}'") from None
