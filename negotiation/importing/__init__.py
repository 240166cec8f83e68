"""Bringing a new negotiation in: a starter dossier folder now; documents into positions next.

The room's modules need only the core install; reading office and PDF files will come with the
``import`` extra.
"""

from negotiation.importing.starter import init_dossier, starter_files

__all__ = ["init_dossier", "starter_files"]
