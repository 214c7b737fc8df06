"""Pieces of the pytest plugin.

The ``pytest11`` entry point and its hooks are :mod:`verifythm.pytest_plugin`.
"""
