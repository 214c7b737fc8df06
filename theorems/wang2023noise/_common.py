r"""Shared helpers for the wang2023noise modules (not collected: the name starts with ``_``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from verifythm import Check, ExactCheck, Hypothesis
from verifythm.claims.inputs import array
from verifythm.strategies import FAMILIES, random_gradients, random_psd

KEY = "wang2023noise"


def linreg_parts(X: Any, y: Any, theta: Any) -> dict[str, Any]:
    r"""Linear regression :math:`f(x;\theta)=\theta^Tx` at θ: residuals, gradients, G, Σ₁, Σ₀, ∇L.

    Written generically (numpy float or object arrays) so that sympy entries work too.
    """
    n = X.shape[0]
    e = X @ theta - y
    G = X.T @ X / n
    grads = X * e[:, None]  # rows ∇ℓ_i = e_i x_i
    gradL = grads.sum(axis=0) / n
    Sigma1 = grads.T @ grads / n
    Sigma0 = Sigma1 - np.outer(gradL, gradL)
    L = (e * e).sum() / (2 * n)
    return {"n": n, "e": e, "G": G, "grads": grads, "gradL": gradL, "S1": Sigma1, "S0": Sigma0, "L": L}


def trace(A: Any) -> Any:
    return sum(A[i, i] for i in range(A.shape[0]))


def gaussian_data(rng: np.random.Generator, n: int, d: int, spectrum: Any = None) -> np.ndarray:
    r"""``n`` i.i.d. rows from :math:`\mathcal N(0, S)`, ``S = diag(spectrum)`` (identity by default)."""
    Z = rng.standard_normal((n, d))
    if spectrum is None:
        return Z
    return Z * np.sqrt(np.asarray(spectrum, float))[None, :]


def gaussian_expectation(fn: Any, S: np.ndarray, nodes: int = 3) -> Any:
    r"""Exact :math:`\mathbb E_{x\sim\mathcal N(0,S)}[fn(x)]` for polynomials of degree ≤ 2·nodes−1.

    Tensor-product Gauss–Hermite quadrature over :math:`x=S^{1/2}z` (small ``d`` only).
    """
    from itertools import product

    z, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / np.sqrt(2 * np.pi)
    d = S.shape[0]
    lam, V = np.linalg.eigh((S + S.T) / 2)
    root = V * np.sqrt(np.clip(lam, 0, None))
    total = 0.0
    for idx in product(range(nodes), repeat=d):
        x = root @ z[list(idx)]
        total = total + float(np.prod(w[list(idx)])) * fn(x)
    return total


def olm_population(S: np.ndarray, J: np.ndarray, r: np.ndarray) -> dict[str, Any]:
    r"""Population quantities of an OLM at one θ (Eq. (10)), all from one factor of ``S``.

    :math:`\bar G=J^TSJ`, :math:`\bar{\mathcal L}=\frac12r^TSr`, :math:`\nabla\bar{\mathcal L}=J^TSr` and
    :math:`\bar\Sigma_1=\mathbb E[(r^Tx)^2J^Txx^TJ]` (by exact quadrature).  With :math:`S=RR^T`
    (:math:`R=V\Lambda_+^{1/2}` from ``eigh``, tiny negative eigenvalues of a float PSD matrix clipped),
    :math:`x=Rz`, :math:`u=R^Tr`, :math:`K=R^TJ`, these are :math:`\bar G=K^TK`,
    :math:`\bar{\mathcal L}=\frac12\|u\|^2`, :math:`\nabla\bar{\mathcal L}=K^Tu`,
    :math:`\bar\Sigma_1=K^TMK` with :math:`M=\mathbb E_z[(u^Tz)^2zz^T]` (returned too).  Computing every
    quantity from the same :math:`(u,K)` keeps ratios such as μ̄ consistent: mixing :math:`r^TSr` (with
    ``S``) and a quadrature over :math:`RR^T\ne S` made μ̄ = 3.0002 when :math:`r` lies near the kernel of
    a singular ``S`` (:math:`r^TSr/(\|S\|\|r\|^2)\approx10^{-12}`).
    """
    S, J, r = (np.asarray(a, float) for a in (S, J, r))
    lam, V = np.linalg.eigh((S + S.T) / 2)
    R = V * np.sqrt(np.clip(lam, 0, None))
    u, K = R.T @ r, R.T @ J
    M = gaussian_expectation(lambda z: float(u @ z) ** 2 * np.outer(z, z), np.eye(S.shape[0]))
    return {
        "G": K.T @ K,
        "L": 0.5 * float(u @ u),
        "gradL": K.T @ u,
        "S1": K.T @ M @ K,
        "u": u,
        "K": K,
        "M": M,
    }


def kurtosis_witness(n: int, reps: int, seed: int) -> np.ndarray:
    r"""Values of μ(θ) = g(θ; v) for the linear model with d = 1 on ``reps`` seeded data sets of size ``n``.

    There :math:`\mu(\theta)=g(\theta;v)=\overline{x^4}/(\overline{x^2})^2` at every
    :math:`\theta\ne\theta^*`, :math:`v\ne0`.
    """
    rng = np.random.default_rng([seed, n])
    X = rng.standard_normal((reps, n))
    return (X**4).mean(axis=1) / (X**2).mean(axis=1) ** 2


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(Bin(n, p) >= k)."""
    from math import comb

    return float(sum(comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1)))


def gradient_shapes() -> Hypothesis:
    """``Q`` (gradients as columns, ``(p, n)``) and ``e`` (residuals, ``(n,)``) finite, shapes matching."""
    return Hypothesis(
        "Q, e finite, shapes (p, n), (n,)",
        lambda i: bool(
            np.all(np.isfinite(i["Q"]))
            and np.all(np.isfinite(i["e"]))
            and np.ndim(i["Q"]) == 2
            and np.shape(i["e"]) == (np.shape(i["Q"])[1],)
        ),
    )


def scaled_gradients(inst: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """``Q`` and ``e`` of an instance (raw or read), each scaled to max-abs 1 (μ and g are scale-free)."""
    Q, e = np.asarray(inst["Q"], float), np.asarray(inst["e"], float)
    return Q / max(np.abs(Q).max(), 1e-300), e / max(np.abs(e).max(), 1e-300)


def gradients_nondegenerate(inst: dict[str, Any]) -> bool:
    """L(θ) > 0 and G ≠ 0, judged at scale one (raw draws too: strategies filter with it)."""
    Q, e = scaled_gradients(inst)
    return bool(np.abs(e).max() > 1e-6 and np.linalg.norm(Q.T @ Q) > 1e-6)


def random_gradient_matrices(rng: np.random.Generator, k: int) -> Iterator[tuple[int, int, np.ndarray]]:
    """``(i, n, Q)`` for ``i < k``: seeded ``(p, n)`` gradient matrices cycling through ``FAMILIES``.

    Lazy, so the caller's own draws between items keep the order of an inline loop.
    """
    for i in range(k):
        n, p = int(rng.integers(1, 9)), int(rng.integers(1, 9))
        yield i, n, random_gradients(rng, p, n, FAMILIES[i % len(FAMILIES)])


#: How the OLM claims read a population point ``{"S", "J", "r"}`` (the helpers below take it as drawn).
OLM_INPUTS = {"S": array(2), "J": array(2), "r": array(1)}


def olm_shapes() -> Hypothesis:
    """OLM population ``S`` (symmetric PSD ``(d, d)``), Jacobian ``J`` ``(d, p)``, residual ``r`` ``(d,)``.

    For claims that declare :data:`OLM_INPUTS` (the point's arrays arrive as float arrays).
    """
    return Hypothesis(
        "S symmetric PSD, shapes (d,d), (d,p), (d,)",
        lambda i: bool(
            np.allclose(i["S"], i["S"].T)
            and np.linalg.eigvalsh(i["S"])[0] >= -1e-12
            and np.shape(i["J"])[0] == np.shape(i["S"])[0] == np.shape(i["r"])[0]
        ),
    )


def olm_nondegenerate(i: dict[str, Any]) -> bool:
    """OLM population point (read with :data:`OLM_INPUTS`), ``S`` PSD, ``S^{1/2}r ≠ 0``, ``Ḡ = JᵀSJ ≠ 0``."""
    return bool(
        np.linalg.eigvalsh(i["S"])[0] >= -1e-12
        and float(i["r"] @ i["S"] @ i["r"]) > 1e-9
        and np.linalg.norm(i["J"].T @ i["S"] @ i["J"]) > 1e-9
    )


def random_olm_point(rng: np.random.Generator, i: int) -> tuple[int, int, np.ndarray, np.ndarray]:
    """``(d, p, S, J)``: a seeded OLM population (``S`` PSD, full rank on odd ``i``) and Jacobian."""
    d, p = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    S = random_psd(rng, d, rank=int(rng.integers(1, d + 1))) + (0.1 * np.eye(d) if i % 2 else 0)
    return d, p, S, rng.standard_normal((d, p))


def witness_checks(witness: dict[str, Any], reps: int) -> tuple[Check, ...]:
    """The ``exact`` check of a w.h.p. statement: one seeded witness of ``reps`` draws."""
    note = f"R={reps} seeded draws; false-alarm rate ≤ {binomial_tail(reps, reps, 0.1):.0e}"
    return (ExactCheck("exact", fixed=[witness], note=note),)


def olm_points(max_d: int = 4, max_p: int = 4) -> Any:
    r"""Hypothesis strategy of population OLM points ``{"S", "J", "r"}`` from the project's vocabulary.

    ``S`` from :func:`~verifythm.strategies.psd_with` (controlled rank, condition and scale, shrinking
    to the identity eigenbasis), ``J`` and ``r`` bounded real arrays; every second draw puts ``r`` in the
    range of ``J`` (the equality case :math:`\nabla F\,v\parallel r` of Lemmas C.1/C.2 and Theorem 4.2).
    """
    from hypothesis import strategies as st

    from verifythm.strategies import psd_with, real_vectors

    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        d, p = draw(st.integers(1, max_d)), draw(st.integers(1, max_p))
        J = draw(real_vectors(d * p, -2, 2)).reshape(d, p)
        r = J @ draw(real_vectors(p, -2, 2)) if draw(st.booleans()) else draw(real_vectors(d, -2, 2))
        return {"S": draw(psd_with(d)), "J": J, "r": r}

    return build()


def fresh_blocks(rng: np.random.Generator, count: int) -> list[int]:
    """``count`` profile-seeded block / run indices in ``[1, 10⁶)`` (index 0 is a figure's committed data)."""
    return [int(b) for b in rng.integers(1, 1_000_000, size=count)]


def gram_c(X: np.ndarray) -> np.ndarray:
    r""":math:`c_i=\frac1n\sum_j(x_i^Tx_j)^2` of the rows of ``X``, computed on ``X`` scaled to max-abs 1."""
    X = X / max(np.abs(X).max(), 1e-300)
    K = X @ X.T
    return (K * K).sum(axis=1) / X.shape[0]
