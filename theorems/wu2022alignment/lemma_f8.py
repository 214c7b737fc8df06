r"""Wu, Wang & Su (2022), Lemma F.8: the kernel sections :math:`k(\cdot,x)` have Rademacher complexity ≤ 1/√n.

Setting
-------
A PSD kernel k on a domain :math:`\mathcal X` with :math:`k(x,x)\le1` (the normalisation used in
the proof, :math:`\|k(\cdot,x)\|_{\mathcal H_k}^2=k(x,x)\le1`), a sample :math:`z_1,\dots,z_n\in\mathcal X`
and the class :math:`\Phi_1=\{k(\cdot,x):x\in\mathcal X\}`.  An instance is a finite domain given by its
Gram matrix :math:`K_{\mathcal X}` (any PSD matrix with diagonal ≤ 1) and the indices of the sample
points in it (repetitions allowed); :math:`\Phi_1` then has one function per domain point.

Statement
---------
:math:`\widehat{\mathrm{Rad}}_n(\Phi_1)\le1/\sqrt n` for every sample.

Evidence
--------
* ``exact``: :math:`\mathbb E_\xi\max_{x\in\mathcal X}\frac1n\sum_i\xi_ik(z_i,x)` by enumeration of the
  :math:`2^n` signs (n ≤ 12) on seeded domains with linear (unit sphere), Gaussian RBF, ReLU
  arc-cosine and cosine-similarity kernels.  Equality at n = 1 when the domain contains
  :math:`\pm z_1` for the linear kernel on the sphere (:math:`\mathrm{Rad}=(k(z,z)-k(-z,z))/2=1`).
  For n ≥ 2 the bound is loose by about :math:`\sqrt n` on small domains (the intermediate bound
  :math:`\sqrt{\sum_ik(z_i,z_i)}/n` of Lemma F.5 is the one that is nearly attained).
* ``property``: Hypothesis over point clouds on the unit sphere with the linear kernel, the domain
  being the sample and its antipodes.
* ``symbolic`` (proof of Lemma F.8): :math:`\Phi_1` lies in the unit ball of the RKHS
  (:math:`\|k(\cdot,x)\|^2=k(x,x)\le1`), so Lemma F.5's as-proved bound applies:
  :math:`\mathbb{E}_\xi\|\sum_i\xi_ik(\cdot,z_i)\|^2=\sum_ik(z_i,z_i)` (symbolic 3 × 3 Gram matrix, all
  8 signs), Jensen as a sum of squares, and :math:`1/n-\sum_ik(z_i,z_i)/n^2\ge0` when every
  :math:`k(z_i,z_i)=1/(1+a_i)\le1` (n = 3).

References
----------
[wu2022alignment, Appendix F.2, Lemma F.8].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import array
from verifythm.evidence.symbolic import Nonnegative

from . import KEY
from ._appf import is_psd, point_sets, rad_finite, random_gram


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\widehat{\mathrm{Rad}}_n(\Phi_1)` (exact) versus :math:`1/\sqrt n`."""
    Kd, idx = inst["Kd"], np.asarray(inst["idx"], int)
    return Comparison(rad_finite(Kd[:, idx]), 1.0 / np.sqrt(idx.size), "<=", "Rad_n(Φ₁)", "1/√n")


def _valid(inst: dict[str, Any]) -> bool:
    Kd, idx = inst["Kd"], np.asarray(inst["idx"])
    return (
        is_psd(Kd)
        and float(np.max(np.diag(Kd))) <= 1.0 + 1e-12
        and 1 <= idx.size <= 12
        and bool(np.all((0 <= idx) & (idx < Kd.shape[0])))
    )


def _unit_kernel(rng: np.random.Generator, N: int, kind: int) -> np.ndarray:
    K = random_gram(rng, N, kind)
    if kind == 2:
        return K  # arc-cosine kernel: κ(1) = 1/2
    dg = np.sqrt(np.clip(np.diag(K), 1e-300, None))
    return K / np.outer(dg, dg)  # normalised: k(x, x) = 1


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        N = int(rng.integers(1, 16))
        n = int(rng.integers(1, 11))
        out.append({"Kd": _unit_kernel(rng, N, i % 3), "idx": rng.integers(0, N, n)})
    return out


def _sphere_inst(X: np.ndarray) -> dict[str, Any]:
    U = X / np.linalg.norm(X, axis=1, keepdims=True)
    D = np.vstack([U, -U])
    return {"Kd": D @ D.T, "idx": np.arange(U.shape[0])}


FIXED = [
    _sphere_inst(np.array([[1.0, 0.0]])),  # n = 1 with ±z in the domain: equality
    _sphere_inst(np.eye(3)),
    _sphere_inst(np.ones((4, 2))),
    {"Kd": np.array([[1.0]]), "idx": np.array([0, 0, 0])},
]


def _symbolic() -> list[Any]:
    """Proof of Lemma F.8: Lemma F.5's steps with k(z_i, z_i) ≤ 1, so √(Σk(z_i,z_i))/n ≤ 1/√n."""
    import sympy as sp

    from ._symf import jensen, rademacher_second_moment

    a = sp.symbols("a1:4", nonnegative=True)
    diag = [1 / (1 + x) for x in a]  # every value in (0, 1]
    n = 3
    gap = sp.together(sp.Rational(1, n) - sum(diag) / n**2)
    return [
        rademacher_second_moment(3),
        jensen(4),
        Nonnegative(gap, "1/n − Σk(z_i,z_i)/n² ≥ 0 when k(z_i,z_i) ≤ 1"),
    ]


CLAIM = Claim(
    id="wu2022.lemma_f8",
    title="Rad_n{k(·, x) : x ∈ 𝒳} ≤ 1/√n for a PSD kernel with k(x, x) ≤ 1",
    source=Source(KEY, "Lemma F.8"),
    statement=(
        r"For a PSD kernel with $k(x,x)\le1$ and $\Phi_1=\{k(\cdot,x):x\in\mathcal X\}$, "
        r"$\widehat{\mathrm{Rad}}_n(\Phi_1)\le1/\sqrt n$."
    ),
    hypotheses=(Hypothesis("K_𝒳 PSD, diag ≤ 1; 1 ≤ n ≤ 12 sample indices in the domain", _valid),),
    conclusion=conclusion,
    checks=(
        ExactCheck("exact", _generate, fixed=FIXED, note="E_ξ by enumeration of all 2^n signs"),
        PropertyCheck(
            "property",
            point_sets(8, 3)
            .filter(lambda X: bool(np.all(np.linalg.norm(X, axis=1) > 1e-3)))
            .map(_sphere_inst),
        ),
        SymbolicCheck("symbolic", _symbolic),
    ),
    tolerance=Tolerance(rtol=1e-10, atol=1e-12),
    inputs={"Kd": array()},
)
