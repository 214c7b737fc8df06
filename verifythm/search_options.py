"""Defaults and choices of the searches, kept outside `verifythm.search` (the CLI parser reads them)."""

#: Seconds a ``verifythm hunt`` runs by default.
DEFAULT_BUDGET_S = 30.0
#: Seconds a ``verifythm tightness`` runs by default.
DEFAULT_TIGHTNESS_BUDGET_S = 20.0
#: The executors ``--executor`` accepts (``dask:ADDRESS`` names a running scheduler).
EXECUTORS = ("process", "thread", "serial", "dask")
