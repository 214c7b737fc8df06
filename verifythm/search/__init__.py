"""Counterexample search beyond random sampling, tightness maps and sweeps over executors.

``hunt`` actively maximises a claim's violation (optimisation over the instance,
structured families, shrinking, high-precision confirmation); ``tightness`` reports the
supremum of a claim's ratio observed / bound; sweeps run on any
:class:`concurrent.futures.Executor` (local processes by default, Dask to scale out).
"""
