"""Counterexample search beyond random sampling, tightness maps and sweeps over executors.

* :func:`hunt` actively maximises a claim's violation (seeds from its checks, structured
  families, growth beyond the generators' sizes: more members, more dimensions, B with n,
  log-uniform scales, every family kind; a portfolio of niches with evolution-strategy
  bursts and restarts away from flat structures), confirms a violation in high precision
  (or by an independent Monte Carlo replicate) and shrinks it to a minimal instance; every
  result states the region it searched.  ``hunt(..., drop=[...])`` tests whether a
  hypothesis is necessary.
* :func:`tightness` reports the supremum of observed / bound and its map over parameters.
* :func:`survey` runs both over a catalogue.
* :func:`sweep`, :func:`stability_phase_diagram` and :func:`fit_power_law` are the sweeps;
  every sweep takes a :class:`concurrent.futures.Executor` (:func:`make_executor`: local
  processes by default, or a Dask cluster).

Reports (Markdown + JSON + ``.npz``, never overwritten, with an index) are written by
:func:`write_hunt_report`, :func:`write_tightness_report` and :func:`write_index`.
"""

from verifythm.search.hunt import DEFAULT_BUDGET_S, HuntResult, apply_drop, hunt
from verifythm.search.parallel import make_executor
from verifythm.search.report import write_hunt_report, write_index, write_tightness_report
from verifythm.search.survey import survey
from verifythm.search.sweep import PhaseDiagram, PowerLawFit, fit_power_law, stability_phase_diagram, sweep
from verifythm.search.tightness import TightnessResult, tightness

__all__ = [
    "DEFAULT_BUDGET_S",
    "HuntResult",
    "PhaseDiagram",
    "PowerLawFit",
    "TightnessResult",
    "apply_drop",
    "fit_power_law",
    "hunt",
    "make_executor",
    "stability_phase_diagram",
    "survey",
    "sweep",
    "tightness",
    "write_hunt_report",
    "write_index",
    "write_tightness_report",
]
