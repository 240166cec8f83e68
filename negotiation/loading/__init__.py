"""Files to validated models: parse (YAML/JSON with locations) → validate (schema) → integrity (cross-file)."""

from negotiation.loading.dossier import (
    BUNDLED_DOSSIER_ID,
    bundled_dossier_path,
    bundled_root,
    issue_tree,
    load_dossier,
    load_position_file,
    resolve_position,
)
from negotiation.loading.parse import Document, parse_file, parse_text
from negotiation.loading.record import LoadedDossier

__all__ = [
    "BUNDLED_DOSSIER_ID",
    "Document",
    "LoadedDossier",
    "bundled_dossier_path",
    "bundled_root",
    "issue_tree",
    "load_dossier",
    "load_position_file",
    "parse_file",
    "parse_text",
    "resolve_position",
]
