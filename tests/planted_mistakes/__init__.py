r"""A planted benchmark of the field's real mistakes, for the counterexample hunt.

Each entry of :data:`PAIRS` is a :class:`~planted_mistakes._common.Planted`: a false claim
written the way a researcher would write it (their own module, their own generators at
``n ≤ 6``, ``d ≤ 3``, unit scale, sometimes a Hypothesis strategy), modelled on a real slip of
SGD-stability and noise-geometry papers, next to its *true twin* (the correct statement, which
no hunt may flag) and a known witness (checked by ``tests/catalogue/test_planted_benchmark.py``).  The
truth is computed by the engine (:mod:`verifythm.dynamics`, :mod:`verifythm.quantities`).
The claims' own checks see nothing: every violation hides where the researcher's generators
do not look.

================================  ====================================  ==================================
claim (``planted.…``)             slip                                  hidden from the own generators
================================  ====================================  ==================================
``const10.gd_edge``               constant 10 % too small (1.8 for 2)   nearly identical members
``const10.dominant``              constant 10 % too large (lower bd)    one dominant member
``wr_constant.top_direction``     1/B for (n − B)/(B(n − 1))            generator has B = 1 only
``sqrt_n.single_sample``          √n for n                              one dominant member
``n_ge_8.single_sample``          √n for n, constant fit at n ≤ 6       false only for n ≥ 8
``dropped_minus_one.sqrt_bound``  n/B for n/B − 1                       noise c·s₁²/λ₁² ≈ 1
``n_for_n_minus_one.dominant``    n for n − 1 in c_WOR                  one dominant member
``d_ge_4.trace``                  tr H for λ₁, constant fit at d ≤ 3    false only for d ≥ 4
``frobenius_for_spectral``        ‖H‖_F for ‖H‖₂                        rank-one members at B = 1
``one_b.full_batch``              proved for B < n, stated B ≤ n        false at B = n only
``top_direction_binds``           η* read off the top direction         exact for H_i = a_i·D
``wr_for_wor.threshold``          with-replacement result, WOR          schemes agree at B = 1
``bern_for_wor.threshold``        Bernoulli result, WOR                 agree for one-owner coordinates
``sqrt_scaling.batch``            √B for B (square-root scaling)        noise-dominated families
``single_sample.trace``           B = 1 fact for every B                generator has B = 1 only
``scale.small_lr``                small η in absolute units             only at λ₁ ≳ 1e5 … 1e6
``alpha2_for_alpha4.two_steps``   α² for α⁴                             noise covers the gap
``first_for_second.loss_rate``    first moment for a second             small η, random w₀
``gd_threshold.loss_monotone``    GD's 2/λ₁ taken for SGD's             big batches, random w₀
``commuting_only.one_step``       commuting-family proof, general       generator: diagonal families
``bern_centred.noise``            centred for uncentred covariance      gradients at a minimum
``decoupling.noise_trace``        Σ ≈ 2L·H used as a bound              residuals ±1
================================  ====================================  ==================================

Twins are ``planted.true.<same suffix>``.  Import the package by name with ``tests/`` on
``sys.path`` (pytest does this), e.g. ``verifythm hunt planted.n_ge_8.single_sample --import
planted_mistakes``.
"""

from __future__ import annotations

from ._common import Planted, wide_instance
from .moments import PAIRS as _MOMENTS
from .noise import PAIRS as _NOISE
from .schemes import PAIRS as _SCHEMES
from .thresholds import PAIRS as _THRESHOLDS

PAIRS: list[Planted] = [*_THRESHOLDS, *_SCHEMES, *_MOMENTS, *_NOISE]
PLANTED = [p.false for p in PAIRS]
TRUE = [p.twin for p in PAIRS]
CLAIMS = [*PLANTED, *TRUE]
BY_ID: dict[str, Planted] = {p.false.id: p for p in PAIRS}

__all__ = ["BY_ID", "CLAIMS", "PAIRS", "PLANTED", "TRUE", "Planted", "wide_instance"]
