r"""Wu, Wang & Su (2022), Lemma 3.2: one-step expected loss of SGD with any zero-mean noise.

Setting
-------
Linearized model at a minimum, :math:`L(\theta)=\frac12\theta^TH\theta`, :math:`H`
symmetric PSD, :math:`\nabla L(\theta)=H\theta`.  A general SGD
:math:`\theta_{t+1}=\theta_t-\eta(\nabla L(\theta_t)+\xi_t)` whose noise satisfies
:math:`\mathbb{E}[\xi_t\mid\theta_t]=0` and :math:`\mathbb{E}[\xi_t\xi_t^T\mid\theta_t]=S(\theta_t)`
(any distribution, possibly state-dependent).

Statement
---------
:math:`\mathbb{E}[L(\theta_{t+1})]=\mathbb{E}[r(\theta_t)L(\theta_t)+\eta^2v(\theta_t)]` (Eq. (6))
with :math:`v(\theta)=\operatorname{Tr}(HS(\theta))/2` and :math:`r` as in Lemma G.2.
Moreover :math:`r(\theta)\ge0`, and :math:`r(\theta)\le1` if :math:`\eta\le2/\lambda_1(H)`
(checked pointwise at θ by ``wu2022.lemma3_2.r_nonneg`` / ``r_le_one``, module ``lemma3_2_r``; the same
facts as "for all θ" are ``wu2022.lemma_g2.part1`` / ``part2``).

Finding
-------
**Scope** (reading of the noise condition):
The lemma prints :math:`\mathbb{E}[\xi_t]=0` and :math:`\mathbb{E}[\xi_t\xi_t^T]=S(\theta_t)`.
The second can only hold conditionally on :math:`\theta_t` (its right side is random), and
the proof drops the cross term :math:`-\eta\,\mathbb{E}[(\theta_t-\eta H\theta_t)^TH\xi_t]`,
which needs :math:`\mathbb{E}[\xi_t\mid\theta_t]=0` — true for SGD noise.  ``wu2022.lemma3_2``
encodes this conditional reading.  Reading the first condition unconditionally makes
Eq. (6) false (``wu2022.lemma3_2.unconditional_mean``, an expected failure with a
counterexample: :math:`d=1`, :math:`H=1`, :math:`\eta=1/2`, :math:`\theta_t\in\{1,2\}` with
equal probability, :math:`\xi_t=+1` at 1 and :math:`-1` at 2; then
:math:`\mathbb{E}[L(\theta_{t+1})]=9/16` but the right side is :math:`7/16`).  That is a **scope**
finding, not an error of the paper: it shows the conditional mean-zero assumption is necessary.

Evidence
--------
* ``symbolic``: for a symbolic 2×2 :math:`H`, θ, η and symbolic second moment
  :math:`S`, the expectation of :math:`L(\theta-\eta(H\theta+\xi))` is taken exactly from
  the first two moments of ξ (valid for every distribution with them), and equals
  :math:`r(\theta)L(\theta)+\eta^2\operatorname{Tr}(HS)/2`.
* ``exact``: :math:`\theta_t` drawn from a finite distribution and, at each of its
  atoms, a finite zero-mean noise distribution (non-symmetric, state-dependent);
  both sides of Eq. (6) are computed by exact enumeration of the expectation.
* ``property``: the same with Hypothesis-drawn atoms and weights.

References
----------
[wu2022alignment, Lemma 3.2, Eqs. (6)–(7)].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.common import nonzero, psd
from verifythm.claims.inputs import REAL
from verifythm.evidence.symbolic import expect_quadratic
from verifythm.linalg import precise as P
from verifythm.linalg.psd import quad
from verifythm.quantities.rayleigh import ratio
from verifythm.strategies import psd_matrices, random_psd
from verifythm.strategies.scalars import reals

from . import KEY
from .lemma_g2 import r_coeffs

SOURCE = Source(KEY, "Lemma 3.2")


def eq6_terms(inst: dict[str, Any], *, exact: bool = False) -> tuple[Any, Any, Any]:
    r"""The three terms of Eq. (6) by exact enumeration over the atoms of θ_t and ξ_t.

    Returns :math:`(\mathbb{E}[L(\theta_{t+1})],\ \mathbb{E}[r(\theta_t)L(\theta_t)],\
    \mathbb{E}[\eta^2v(\theta_t)])`, in float64 or, with ``exact=True``, in exact rational
    arithmetic (the floats of the instance read as the rationals they represent).
    """
    conv = P.exact if exact else (lambda a: np.asarray(a, dtype=float))
    H = conv(inst["H"])
    eta = Fraction(inst["eta"]) if exact else inst["eta"]
    thetas, p, xi, w = (conv(inst[k]) for k in ("thetas", "p", "xi", "w"))
    lhs = rl = noise = Fraction(0) if exact else 0.0
    for k in range(thetas.shape[0]):
        th = thetas[k]
        step = th - eta * (H @ th)
        lhs += p[k] * sum(
            w[k, m] * ((step - eta * xi[k, m]) @ H @ (step - eta * xi[k, m])) / 2 for m in range(xi.shape[1])
        )
        if exact:
            Hth = H @ th
            q1, q2, q3 = th @ Hth, Hth @ Hth, Hth @ H @ Hth
            r = 1 - 2 * eta * q2 / q1 + eta**2 * q3 / q1
        else:
            r = ratio(H, th, r_coeffs(eta))  # rescales θ: no under/overflow
        rl += p[k] * r * (th @ H @ th) / 2
        S = (xi[k].T * w[k]) @ xi[k]  # E[ξξᵀ | θ_t = θ_k]
        noise += p[k] * eta**2 * sum(np.diagonal(H @ S)) / 2
    return lhs, rl, noise


def conclusion(inst: dict[str, Any]) -> Comparison:
    r"""Both sides of Eq. (6) in float64."""
    lhs, rl, noise = eq6_terms(inst)
    return Comparison(lhs, rl + noise, "==", "E[L(θ_{t+1})]", "E[r(θ_t)L(θ_t) + η²v(θ_t)]")


def precise(inst: dict[str, Any]) -> Comparison:
    """Eq. (6) in exact rational arithmetic (r(θ) as its exact ratio of quadratic forms)."""
    lhs, rl, noise = eq6_terms(inst, exact=True)
    return Comparison(float(lhs), float(rl + noise), "==")


def zero_mean(inst: dict[str, Any]) -> bool:
    """E[ξ | θ_k] = 0 at every atom (relative 1e-12 of the largest noise value)."""
    mean = np.einsum("km,kmd->kd", inst["w"], inst["xi"])
    scale = max(1.0, float(np.max(np.abs(inst["xi"]))))
    return bool(np.max(np.abs(mean)) <= 1e-12 * scale)


def probabilities(inst: dict[str, Any]) -> bool:
    """Whether p and every row of w are probability vectors."""
    p, w = np.asarray(inst["p"]), np.asarray(inst["w"])
    return bool(
        np.all(p >= 0)
        and np.all(w >= 0)
        and abs(p.sum() - 1) < 1e-12
        and np.all(np.abs(w.sum(axis=1) - 1) < 1e-12)
    )


def _theta_not_minimum(inst: dict[str, Any]) -> bool:
    H = inst["H"]
    return all(quad(H, t, 1) > 1e-10 * float(np.linalg.norm(H, 2)) * float(t @ t) for t in inst["thetas"])


HYPOTHESES = (
    psd("H"),
    nonzero("H"),
    Hypothesis("p and w are probability vectors", probabilities),
    Hypothesis("E[ξ | θ] = 0 at every atom θ", zero_mean),
    Hypothesis("θᵀHθ > 0 at every atom (r(θ) defined)", _theta_not_minimum),
)


def center_atoms(xi: np.ndarray, w: np.ndarray) -> np.ndarray:
    """ξ minus its w-weighted mean at each atom (so E[ξ | θ_k] = 0)."""
    return xi - np.einsum("km,kmd->kd", w, xi)[:, None, :]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(k):
        d = int(rng.integers(1, 6))
        H = random_psd(rng, d, rank=d)
        lam1 = float(np.linalg.eigvalsh(H)[-1])
        K, M = int(rng.integers(1, 4)), int(rng.integers(2, 5))
        p = rng.dirichlet(np.ones(K))
        w = rng.dirichlet(np.ones(M), size=K)
        xi = center_atoms(rng.standard_normal((K, M, d)) * rng.uniform(0.1, 3.0, size=(K, 1, 1)), w)
        out.append(
            {
                "H": H,
                "eta": rng.uniform(0.01, 3.0) / lam1,
                "thetas": rng.standard_normal((K, d)),
                "p": p,
                "w": w,
                "xi": xi,
            }
        )
    return out


def atom_laws(hessians: st.SearchStrategy[np.ndarray]) -> st.SearchStrategy[dict[str, Any]]:
    """Finite laws of (θ, ξ), centred so that E[ξ | θ_k] = 0, with H drawn from ``hessians``.

    K atoms θ_k with probabilities p and M noise values per atom with weights w (shared with
    Eq. (8), :mod:`theorems.wu2022alignment.eq8`).
    """

    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        H = draw(hessians)
        d = H.shape[0]
        K, M = draw(st.integers(1, 3)), draw(st.integers(1, 4))
        f = reals(-3, 3)
        raw_p = np.array(draw(st.lists(st.floats(0.01, 1), min_size=K, max_size=K)))
        raw_w = np.array(draw(st.lists(st.floats(0.01, 1), min_size=K * M, max_size=K * M))).reshape(K, M)
        w = raw_w / raw_w.sum(axis=1, keepdims=True)
        xi = np.array(draw(st.lists(f, min_size=K * M * d, max_size=K * M * d))).reshape(K, M, d)
        thetas = np.array(draw(st.lists(f, min_size=K * d, max_size=K * d))).reshape(K, d)
        return {
            "H": H,
            "eta": draw(reals(0.0, 3.0)),
            "thetas": thetas,
            "p": raw_p / raw_p.sum(),
            "w": w,
            "xi": center_atoms(xi, w),
        }

    return build()


def _symbolic() -> list[Any]:
    import sympy as sp

    h11, h12, h22, eta = sp.symbols("h11 h12 h22 eta", real=True)
    t1, t2, x1, x2 = sp.symbols("theta1 theta2 xi1 xi2", real=True)
    s11, s12, s22 = sp.symbols("s11 s12 s22", real=True)
    H = sp.Matrix([[h11, h12], [h12, h22]])
    S = sp.Matrix([[s11, s12], [s12, s22]])
    th, xi = sp.Matrix([t1, t2]), sp.Matrix([x1, x2])
    L = lambda v: (v.T * H * v)[0] / 2  # noqa: E731
    nxt = th - eta * (H * th + xi)
    lhs = expect_quadratic(L(nxt), [x1, x2], [0, 0], S)
    q = lambda k: (th.T * H**k * th)[0]  # noqa: E731
    r = 1 - 2 * eta * q(2) / q(1) + eta**2 * q(3) / q(1)
    rhs = r * L(th) + eta**2 * (H * S).trace() / 2
    return [Identity(lhs, rhs, "E[L(θ − η(Hθ + ξ))] = r(θ)L(θ) + η²Tr(HS)/2")]


IDENTITY = Claim(
    id="wu2022.lemma3_2",
    title="E[L(θ_{t+1})] = E[r(θ_t)L(θ_t) + η²v(θ_t)] for any zero-mean noise with covariance S",
    source=SOURCE,
    statement=(
        r"For the linearized model and $\theta_{t+1}=\theta_t-\eta(\nabla L(\theta_t)+\xi_t)$ with "
        r"$\mathbb{E}[\xi_t\mid\theta_t]=0$, $\mathbb{E}[\xi_t\xi_t^T\mid\theta_t]=S(\theta_t)$: "
        r"$\mathbb{E}[L(\theta_{t+1})]=\mathbb{E}[r(\theta_t)L(\theta_t)+\eta^2v(\theta_t)]$, "
        r"$v(\theta)=\operatorname{Tr}(HS(\theta))/2$."
    ),
    hypotheses=HYPOTHESES,
    conclusion=conclusion,
    precise_conclusion=precise,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate),
        PropertyCheck("property", atom_laws(psd_matrices(min_rank=1))),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-10),
    kind="identity",
    inputs={"eta": REAL},
)


# -- reading the noise condition unconditionally -------------------------------------------
def _global_zero_mean(inst: dict[str, Any]) -> bool:
    mean = np.einsum("k,km,kmd->d", inst["p"], inst["w"], inst["xi"])
    scale = max(1.0, float(np.max(np.abs(inst["xi"]))))
    return bool(np.max(np.abs(mean)) <= 1e-12 * scale)


def _uncentered(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    """Noise whose mean is zero overall but not given θ_t (atoms of θ_t paired ±)."""
    out = []
    for inst in _generate(rng, k):
        K, _, d = inst["xi"].shape
        if K == 1:
            continue
        shift = rng.standard_normal((K, d))
        shift -= inst["p"] @ shift  # Σ_k p_k shift_k = 0: zero mean unconditionally only
        inst["xi"] = inst["xi"] + shift[:, None, :]
        out.append(inst)
    return out


SMALLEST_UNCONDITIONAL = {
    "H": np.array([[1.0]]),
    "eta": 0.5,
    "thetas": np.array([[1.0], [2.0]]),
    "p": np.array([0.5, 0.5]),
    "w": np.array([[1.0], [1.0]]),
    "xi": np.array([[[1.0]], [[-1.0]]]),
}

UNCONDITIONAL = Claim(
    id="wu2022.lemma3_2.unconditional_mean",
    title="Eq. (6) with the noise condition E[ξ_t] = 0 read unconditionally",
    source=SOURCE,
    statement=(
        r"Lemma 3.2 with its noise condition read as printed for the first moment: "
        r"$\mathbb{E}[\xi_t]=0$ (unconditionally) and $\mathbb{E}[\xi_t\xi_t^T\mid\theta_t]"
        r"=S(\theta_t)$; then $\mathbb{E}[L(\theta_{t+1})]=\mathbb{E}[r(\theta_t)L(\theta_t)+\eta^2"
        r"v(\theta_t)]$."
    ),
    hypotheses=(
        psd("H"),
        nonzero("H"),
        Hypothesis("p and w are probability vectors", probabilities),
        Hypothesis("E[ξ_t] = 0 (unconditionally)", _global_zero_mean),
        Hypothesis("θᵀHθ > 0 at every atom (r(θ) defined)", _theta_not_minimum),
    ),
    conclusion=conclusion,
    precise_conclusion=precise,
    checks=(ExactCheck("exact", _uncentered, fixed=[SMALLEST_UNCONDITIONAL]),),
    expected=Expected.fails(
        "scope, not an error: Lemma 3.2's moment conditions are conditional on θ_t (the covariance is "
        "S(θ_t)), and with E[ξ_t | θ_t] = 0, true for SGD noise, Eq. (6) holds (`wu2022.lemma3_2`); with "
        "only E[ξ_t] = 0 the cross term −η E[(θ_t − ηHθ_t)ᵀHξ_t] survives (d = 1, H = 1, η = 1/2, "
        "θ_t ∈ {1, 2}, ξ_t = ±1: 9/16 vs 7/16)",
        "docs/errata/wu2022.lemma3_2.unconditional_mean__exact.md",
        finding="scope",
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-10),
    kind="identity",
    inputs={"eta": REAL},
)

CLAIMS = [IDENTITY, UNCONDITIONAL]
