r"""Li et al. (2019), Lemma 1: KL divergence is invariant under invertible (here: affine) transformations.

Setting
-------
Distributions :math:`\mathcal Q\ll\mathcal P` on :math:`\mathbb R^p` and an invertible map
:math:`r`; :math:`\mathcal Q',\mathcal P'` are the push-forwards.  The case used by the paper
(Corollary 3, the :math:`\alpha`-scale transformation) is linear, :math:`r(\theta)=A\theta`
with :math:`A` non-singular, applied to Gaussians; the push-forward of :math:`\mathcal N(\mu,\Sigma)`
under :math:`x\mapsto Ax+b` is :math:`\mathcal N(A\mu+b,A\Sigma A^T)`.

Statement
---------
:math:`KL(\mathcal Q'\|\mathcal P')=KL(\mathcal Q\|\mathcal P)` (Eq. (49)).  Encoded for
Gaussians :math:`\mathcal Q=\mathcal N(\mu_q,\Sigma_q)`, :math:`\mathcal P=\mathcal N(\mu_p,\Sigma_p)`
and affine maps :math:`r(x)=Ax+b`, :math:`\det A\ne0` (push-forwards as above).

Typo (not a claim): the first line of the proof, Eq. (97), drops the logarithm of
:math:`\int q'(y)\log\frac{q'(y)}{p'(y)}dy`, printing :math:`\int q'(y)\frac{q'(y)}{p'(y)}dy`.

Evidence
--------
* ``symbolic``: for :math:`p=2`, a general symbolic :math:`A`, symbolic symmetric
  :math:`\Sigma_q,\Sigma_p` and means, the three ingredients of the Gaussian KL (Eq. (103)) are
  invariant: the trace term, the Mahalanobis term, and the determinant ratio.
* ``exact``: :func:`verifythm.quantities.pacbayes.gaussian_kl` before and after the map on
  seeded instances (random, diagonal :math:`\alpha`-scale-like, badly conditioned
  :math:`A`, widely separated means), relative tolerance :math:`10^{-7}`.
* ``property``: Hypothesis over well-conditioned :math:`A`, covariances and means.

References
----------
[li2019hessian, Lemma 1, Eq. (49); proof in Appendix H.1, Eqs. (92)–(97)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import Claim, Comparison, Hypothesis, Identity, Source, Tolerance
from verifythm.claims.common import symbolic_exact_property
from verifythm.claims.inputs import array
from verifythm.quantities.pacbayes import gaussian_kl
from verifythm.strategies import random_psd
from verifythm.strategies.scalars import reals


def conclusion(inst: dict[str, Any]) -> Comparison:
    """KL after the affine map against KL before."""
    A, b, mq, Sq, mp, Sp = (inst[k] for k in ("A", "b", "mu_q", "cov_q", "mu_p", "cov_p"))
    before = gaussian_kl(mq, Sq, mp, Sp)
    after = gaussian_kl(A @ mq + b, A @ Sq @ A.T, A @ mp + b, A @ Sp @ A.T)
    return Comparison(after, before, "==", "KL(Q'‖P')", "KL(Q‖P)", scale=max(abs(before), 1.0))


def _symbolic() -> list[Any]:
    import sympy as sp

    A = sp.Matrix(2, 2, sp.symbols("a11 a12 a21 a22", real=True))
    q1, q2, q3, p1, p2, p3 = sp.symbols("q1 q2 q3 s1 s2 s3", real=True)
    Sq = sp.Matrix([[q1, q2], [q2, q3]])
    Sp = sp.Matrix([[p1, p2], [p2, p3]])
    d = sp.Matrix(sp.symbols("d1 d2", real=True))  # μ_p − μ_q (the shift b cancels)
    SpA = A * Sp * A.T
    return [
        Identity(
            (SpA.inv() * (A * Sq * A.T)).trace(),
            (Sp.inv() * Sq).trace(),
            "Tr((AΣ_pAᵀ)⁻¹AΣ_qAᵀ) = Tr(Σ_p⁻¹Σ_q)",
        ),
        Identity(((A * d).T * SpA.inv() * (A * d))[0], (d.T * Sp.inv() * d)[0], "Mahalanobis term invariant"),
        Identity(
            SpA.det() / (A * Sq * A.T).det(), Sp.det() / Sq.det(), "det(AΣ_pAᵀ)/det(AΣ_qAᵀ) = det Σ_p/det Σ_q"
        ),
    ]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p = int(rng.integers(1, 6))
        kind = i % 4
        if kind == 1:  # an α-scale-like diagonal map
            A = np.diag(10 ** rng.uniform(-1, 1, size=p))
        elif kind == 2:  # badly conditioned
            U, _ = np.linalg.qr(rng.standard_normal((p, p)))
            A = U @ np.diag(np.geomspace(1.0, 1e-3, p))
        else:
            A = rng.standard_normal((p, p)) + 0.5 * np.eye(p)
        spread = 10.0 if kind == 3 else 1.0
        out.append(
            {
                "A": A,
                "b": rng.standard_normal(p),
                "mu_q": spread * rng.standard_normal(p),
                "mu_p": rng.standard_normal(p),
                "cov_q": random_psd(rng, p) + 1e-2 * np.eye(p),
                "cov_p": random_psd(rng, p) + 1e-2 * np.eye(p),
            }
        )
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    p = draw(st.integers(1, 4))
    el = reals(-2, 2)
    A = draw(hnp.arrays(float, (p, p), elements=el)) + 2.5 * np.eye(p)

    def spd() -> np.ndarray:
        R = draw(hnp.arrays(float, (p, p), elements=el))
        return R @ R.T + 0.1 * np.eye(p)

    vec = hnp.arrays(float, (p,), elements=el)
    return {"A": A, "b": draw(vec), "mu_q": draw(vec), "mu_p": draw(vec), "cov_q": spd(), "cov_p": spd()}


def _ok(inst: dict[str, Any]) -> bool:
    A = inst["A"]
    if not np.all(np.isfinite(A)):
        return False
    s = np.linalg.svd(A, compute_uv=False)
    good = s[-1] > 1e-8 * s[0]
    for k in ("cov_q", "cov_p"):
        lam = np.linalg.eigvalsh(inst[k])
        good = good and lam[0] > 1e-8 * max(lam[-1], 1e-300)
    return bool(good)


CLAIM = Claim(
    id="li2019.lemma1",
    title="KL(Q'‖P') = KL(Q‖P) for Gaussians pushed through an invertible affine map",
    source=Source("li2019hessian", "Lemma 1, Eq. (49)"),
    statement=(
        r"For $\det A\neq0$: $KL(\mathcal N(A\mu_q+b,A\Sigma_qA^T)\|\mathcal N(A\mu_p+b,A\Sigma_pA^T))"
        r"=KL(\mathcal N(\mu_q,\Sigma_q)\|\mathcal N(\mu_p,\Sigma_p))$."
    ),
    hypotheses=(Hypothesis("A invertible (cond < 1e8); Σ_q, Σ_p positive definite", _ok),),
    conclusion=conclusion,
    inputs=dict(A=array(2), cov_q=array(2), cov_p=array(2), b=array(1), mu_q=array(1), mu_p=array(1)),
    checks=symbolic_exact_property(_symbolic, _generate, _instances(), max_examples=100),
    tolerance=Tolerance(rtol=1e-7, atol=1e-9),
    kind="identity",
)
