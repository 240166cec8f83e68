"""negotiation: negotiating positions as versioned, validated data, compared item by item.

The library is the product; the ``negotiation`` command is one client of it.

>>> from negotiation.loading import load_dossier          # doctest: +SKIP
>>> record = load_dossier()                               # the bundled dossier   # doctest: +SKIP
"""

__version__ = "0.1.0"
