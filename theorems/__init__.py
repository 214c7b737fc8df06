"""The verifythm catalogue: one module per encoded result, grouped by paper.

Each module exposes ``CLAIM`` or ``CLAIMS``; the registry discovers them through
the ``verifythm.catalogues`` entry point.  Modules starting with ``_`` are skipped.
"""
