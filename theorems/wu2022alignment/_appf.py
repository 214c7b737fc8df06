r"""Shared helpers for the Appendix F modules of Wu, Wang & Su (2022) (not collected).

* Exact empirical Rademacher complexities (Definition F.1) by enumerating all
  :math:`2^n` sign vectors ξ.
* Decision rules for "with probability at least 1 − δ" statements: exact binomial
  (Clopper–Pearson) bounds and the order-statistic lower confidence bound of a quantile.
* The ReLU random feature model of Proposition 2.5 on the circle/sphere (kernel κ, features
  :math:`\varphi(x;w)=\mathrm{ReLU}(w^Tx)`, :math:`w\sim\mathrm{Unif}(\sqrt d\,\mathbb S^{d-1})`,
  so :math:`b=\sup|\varphi|=\sqrt d`).
* Finite kernels with feature atoms (proofs of Lemmas F.13, F.14 and Proposition F.7): the instance
  schema and its validity, seeded instances, :math:`\lambda_1(\mathcal K)` and the unit-ball sup.
* Hidden-constant helpers (``ConstantCheck`` claims of Appendices E.3 and F): non-uniform data laws
  on the circle with exact population spectra (von Mises by Nyström quadrature; a 4-atom law whose
  kernel matrices reduce exactly to 4 × 4 matrices), a power-iteration top eigenvalue, and
  :func:`quantile_implied`, one draw of :math:`q_{1-\delta}(\text{deviation})/\text{rate}`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import cache, partial
from typing import Any

import numpy as np
from scipy import stats

from verifythm.claims.inputs import array
from verifythm.evidence.montecarlo import quantile_decidable as _quantile_decidable
from verifythm.evidence.montecarlo import quantile_lcb as _quantile_lcb

#: False-alarm rate of every Monte Carlo decision in Appendix F.
ALPHA = 1e-3


@cache
def signs(n: int) -> np.ndarray:
    r"""All :math:`2^n` Rademacher sign vectors, shape ``(2^n, n)`` (n ≤ 16)."""
    if not 0 <= n <= 16:
        raise ValueError(f"n: exact enumeration needs 0 <= n <= 16, got {n}")
    idx = np.arange(2**n)[:, None] >> np.arange(n)[None, :]
    return np.where(idx & 1, 1.0, -1.0)


def rad_finite(values: np.ndarray) -> float:
    r"""Exact :math:`\widehat{\mathrm{Rad}}_n(\mathcal F)=\mathbb E_\xi\max_f\frac1n\sum_i\xi_if(z_i)`.

    ``values`` has shape ``(|F|, n)``: row f holds :math:`(f(z_1),\dots,f(z_n))`.
    """
    V = np.atleast_2d(np.asarray(values, float))
    n = V.shape[1]
    return float(np.mean(np.max(signs(n) @ V.T, axis=1)) / n)


def rad_ball(K: np.ndarray) -> float:
    r"""Exact Rademacher complexity of the unit ball of a feature space with Gram matrix ``K``.

    :math:`\sup_{\|h\|\le1}\sum_i\xi_i\langle\phi_{x_i},h\rangle=\|\sum_i\xi_i\phi_{x_i}\|=\sqrt{\xi^TK\xi}`.
    """
    K = np.asarray(K, float)
    n = K.shape[0]
    S = signs(n)
    q = np.einsum("ki,ij,kj->k", S, K, S)
    return float(np.mean(np.sqrt(np.clip(q, 0.0, None))) / n)


quantile_lcb = partial(_quantile_lcb, alpha=ALPHA)
quantile_decidable = partial(_quantile_decidable, alpha=ALPHA)


# -- ReLU random features on the sphere (Proposition 2.5 / Appendix E.3) -----------------------


def kappa(z: np.ndarray) -> np.ndarray:
    r""":math:`k(x,x')=\kappa(x^Tx')=(\sqrt{1-z^2}+(\pi-\arccos z)z)/(2\pi)` (Appendix E.3)."""
    z = np.clip(np.asarray(z, float), -1.0, 1.0)
    return (np.sqrt(1.0 - z * z) + (np.pi - np.arccos(z)) * z) / (2.0 * np.pi)


def sphere(rng: np.random.Generator, n: int, d: int, radius: float = 1.0) -> np.ndarray:
    """``n`` i.i.d. points uniform on the sphere of the given radius in R^d, shape ``(n, d)``."""
    Z = rng.standard_normal((n, d))
    return radius * Z / np.linalg.norm(Z, axis=1, keepdims=True)


def relu_features(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    r""":math:`\varphi(x_i;w_s)=\mathrm{ReLU}(w_s^Tx_i)`, shape ``(n, m)``."""
    return np.maximum(np.asarray(X, float) @ np.asarray(W, float).T, 0.0)


@cache
def population_spectrum(d: int) -> tuple[float, float]:
    r""":math:`(\lambda_1(\mathcal K),\sum_i\lambda_i^2(\mathcal K))`, ReLU kernel on :math:`\mathbb S^{d-1}`.

    From the quadrature of ``wu2022.appe3`` (:func:`theorems.wu2022alignment._appe3.spectrum_facts`):
    :math:`\lambda_1=\mathbb E\kappa(x_1)` and :math:`\sum_i\lambda_i^2=\mathbb E\kappa^2(x_1)` (Eq. (19)).
    """
    from ._appe3 import spectrum_facts

    f = spectrum_facts(d)
    return f["lam1"], f["lam1"] ** 2 + f["tail"]


def point_sets(max_n: int = 8, max_d: int = 4):
    """Hypothesis strategy: point clouds ``X`` of shape ``(n, d)``, 1 ≤ n ≤ max_n, entries in [-10, 10]."""
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    shapes = st.tuples(st.integers(1, max_n), st.integers(1, max_d))
    elems = st.floats(-10, 10, allow_nan=False, allow_infinity=False, width=64)
    return shapes.flatmap(lambda s: hnp.arrays(np.float64, s, elements=elems))


def is_psd(K: np.ndarray, tol: float = 1e-10) -> bool:
    """Symmetric and positive semi-definite up to ``tol`` relative to its largest entry."""
    K = np.asarray(K, float)
    if K.ndim != 2 or K.shape[0] != K.shape[1] or not np.all(np.isfinite(K)):
        return False
    s = max(float(np.max(np.abs(K))), 1e-300) if K.size else 1.0
    return bool(np.allclose(K, K.T, atol=tol * s)) and float(np.linalg.eigvalsh((K + K.T) / 2)[0]) >= -tol * s


def random_gram(rng: np.random.Generator, n: int, kind: int) -> np.ndarray:
    """Seeded Gram matrices of n points: linear features, RBF, ReLU arc-cosine, orthogonal, rank one."""
    d = int(rng.integers(1, 5))
    X = rng.standard_normal((n, d))
    if kind == 0:
        return X @ X.T
    if kind == 1:
        sq = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=2)
        return np.exp(-sq / (2.0 * rng.uniform(0.2, 3.0) ** 2))
    if kind == 2:
        U = X / np.linalg.norm(X, axis=1, keepdims=True)
        return kappa(U @ U.T)
    if kind == 3:
        return np.diag(rng.uniform(0.1, 4.0, n))
    v = rng.standard_normal(n)
    return np.outer(v, v)


# -- finite-domain kernels with feature atoms (proofs of Lemmas F.13, F.14 and Proposition F.7) ----

#: Features Ψ and the law ρ as float arrays (``lemma_f14_proof`` and ``prop_f7`` declare this schema).
KERNEL_SAMPLE_INPUTS = {"Psi": array(), "p": array()}


def valid_kernel_sample(inst: dict[str, Any]) -> bool:
    """Whether ``inst`` holds features Ψ (N × M), a law ρ on its N atoms, and non-empty index samples."""
    Psi, p = inst["Psi"], inst["p"]
    idx, S = np.asarray(inst["idx"]), np.asarray(inst["S"])
    return (
        Psi.ndim == 2
        and p.shape == (Psi.shape[0],)
        and bool(np.all(p >= 0))
        and abs(float(p.sum()) - 1.0) < 1e-9
        and idx.size >= 1
        and S.size >= 1
        and bool(np.all((0 <= idx) & (idx < p.size)))
        and bool(np.all((0 <= S) & (S < Psi.shape[1])))
    )


def kernel_samples(rng: np.random.Generator, k: int, empirical_every: int = 0) -> list[dict[str, Any]]:
    r"""Seeded instances: N × M feature atoms Ψ (Gaussian or their ReLU), a law ρ, data and feature samples.

    With ``empirical_every`` = e > 0, every e-th law is replaced by the data sample's empirical law
    (no draw: the random stream is the same).
    """
    out = []
    for i in range(min(k, 40)):
        N, M = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        Psi = rng.standard_normal((N, M)) if i % 2 else np.maximum(rng.standard_normal((N, M)), 0.0)
        p = rng.dirichlet(np.full(N, rng.uniform(0.3, 2.0)))
        idx = rng.choice(N, int(rng.integers(1, 10)), p=p)
        if empirical_every and i % empirical_every == 0:
            p = np.bincount(idx, minlength=N) / idx.size
        out.append({"Psi": Psi, "p": p, "idx": idx, "S": rng.integers(0, M, int(rng.integers(1, 10)))})
    return out


def operator_top(k: np.ndarray, p: np.ndarray) -> float:
    r"""Top eigenvalue :math:`\lambda_1(\mathcal K)` of the integral operator of a finite domain with law ρ.

    On :math:`L_2(\rho)` it is the top eigenvalue of :math:`P^{1/2}kP^{1/2}` (k: the kernel on the points).
    """
    sp_ = np.sqrt(p)
    return float(np.linalg.eigvalsh(sp_[:, None] * k * sp_[None, :])[-1])


def sample_sup_gap(Phi: np.ndarray, p: np.ndarray, idx: np.ndarray) -> float:
    r""":math:`\|\Phi^T(\hat P-P)\Phi\|_2`, features Φ (N × D), law ρ, data sample ``idx`` (integer array).

    It equals
    :math:`\sup_{\|h\|\le1}|\hat{\mathbb E}\langle h,\phi_x\rangle^2-\mathbb E\langle h,\phi_x\rangle^2|`.
    """
    p_hat = np.bincount(idx, minlength=p.size) / idx.size
    return float(np.max(np.abs(np.linalg.eigvalsh(Phi.T @ ((p_hat - p)[:, None] * Phi)))))


def circle_grid(G: int = 64) -> np.ndarray:
    """``G`` equally spaced points of the unit circle, shape ``(G, 2)``."""
    a = np.linspace(0.0, 2.0 * np.pi, G, endpoint=False)
    return np.c_[np.cos(a), np.sin(a)]


def sup_kernel_deviation(rng: np.random.Generator, d: int, m: int, G: int = 64) -> float:
    r"""One draw of :math:`\sup_{x,x'}|k(x,x')-\hat k(x,x')|` for m ReLU features on :math:`\mathbb S^{d-1}`.

    The sup runs over a grid (G equally spaced points for d = 2, G uniform points otherwise) together
    with the feature directions :math:`w_s/\|w_s\|` (where :math:`\hat k(x,x)` peaks), so it is a
    lower bound of the supremum over the sphere: a violation seen on the grid is a violation.
    """
    W = sphere(rng, m, d, np.sqrt(d))
    X = circle_grid(G) if d == 2 else sphere(rng, G, d)
    if m <= G:
        X = np.vstack([X, W / np.sqrt(d)])
    P = relu_features(X, W)
    return float(np.max(np.abs(kappa(X @ X.T) - P @ P.T / m)))


def binomial_deviation_quantile(n: int, p: float, delta: float) -> float:
    r"""Exact (1 − δ)-quantile of :math:`|k/n-p|`, :math:`k\sim\mathrm{Bin}(n,p)`.

    The smallest t in the support with :math:`P(|k/n-p|>t)\le\delta` (tails summed from the
    extremes inwards, so δ down to 1e-300 is resolved).
    """
    k = np.arange(n + 1)
    pmf = stats.binom.pmf(k, n, p)
    vals, inv = np.unique(np.round(np.abs(k / n - p), 13), return_inverse=True)
    mass = np.bincount(inv.ravel(), weights=pmf)[::-1]  # groups by decreasing value
    above = np.concatenate([[0.0], np.cumsum(mass)[:-1]])  # mass strictly above each group
    hit = np.nonzero((above <= delta) & (above + mass > delta))[0]
    return float(vals[::-1][hit[0]]) if hit.size else 0.0


def single_thread() -> AbstractContextManager[Any]:
    """Limit BLAS to one thread (threadpoolctl, if installed) for loops of small eigenproblems.

    Many 100×100 ``eigvalsh`` calls run ~20× slower with two BLAS threads on two busy cores.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional
        return nullcontext()
    return threadpool_limits(1)


def top_eig(A: np.ndarray) -> float:
    """Largest eigenvalue of a symmetric matrix."""
    return float(np.linalg.eigvalsh(A)[-1])


def implied_constant(samples: np.ndarray, delta: float, rate: float) -> float:
    r"""Empirical :math:`q_{1-\delta}(\text{samples})/\text{rate}`: the constant the bound needs."""
    return float(np.quantile(np.asarray(samples, float), 1.0 - delta)) / rate


# -- hidden-constant checks of Appendix F (``ConstantCheck``) -----------------------------------


def vm_angles(rng: np.random.Generator, n: int, conc: float) -> np.ndarray:
    r"""N i.i.d. angles of the von Mises law :math:`\rho(a)\propto e^{c\cos a}` on the circle."""
    return rng.vonmises(0.0, conc, n)


def kappa_angles(a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    r""":math:`\kappa(x_i^Tx_j)` for points :math:`x=(\cos a,\sin a)` of the circle, without arccos.

    With :math:`\vartheta\in[0,\pi]` the angle between the points and :math:`u=\pi-\vartheta=
    |\pi-|a_i-b_j||` (angles reduced to [−π, π)), :math:`\kappa=(\sin\vartheta+u\cos\vartheta)/(2\pi)`;
    agrees with :func:`kappa` of the inner products to ~1e-14.
    """
    a = np.mod(np.asarray(a, float) + np.pi, 2.0 * np.pi) - np.pi
    b = a if b is None else np.mod(np.asarray(b, float) + np.pi, 2.0 * np.pi) - np.pi
    ca, sa, cb, sb = np.cos(a), np.sin(a), np.cos(b), np.sin(b)
    u = np.subtract.outer(a, b)
    np.abs(u, out=u)
    np.subtract(np.pi, u, out=u)
    np.abs(u, out=u)
    z = np.multiply.outer(ca, cb)
    z += np.multiply.outer(sa, sb)
    s = np.multiply.outer(sa, cb)
    s -= np.multiply.outer(ca, sb)
    np.abs(s, out=s)
    z *= u
    z += s
    z *= 1.0 / (2.0 * np.pi)
    return z


@cache
def vm_population(conc: float, N: int = 512) -> tuple[float, float]:
    r""":math:`(\lambda_1(\mathcal K),\sum_i\lambda_i^2(\mathcal K))`, von Mises law of the angle.

    Nyström discretisation of :math:`\mathcal K` on N equispaced angles with weights
    :math:`2\pi\rho(a_k)/N` (periodic trapezoid rule): the top eigenvalue and the squared
    Frobenius norm of :math:`W^{1/2}\kappa W^{1/2}`.  N = 512 agrees with N = 2048 to 1e-11; at
    conc = 0 it gives the uniform values of ``wu2022.appe3`` (:math:`\lambda_1=2/\pi^2`).
    """
    from scipy.special import i0

    a = 2.0 * np.pi * np.arange(N) / N
    w = np.sqrt(np.exp(conc * np.cos(a)) / (2.0 * np.pi * i0(conc)) * 2.0 * np.pi / N)
    S = w[:, None] * kappa_angles(a) * w[None, :]
    return float(np.linalg.eigvalsh(S)[-1]), float(np.sum(S * S))


def top_eig_psd(matvec: Callable[[np.ndarray], np.ndarray], n: int, dense: Callable[[], np.ndarray]) -> float:
    r"""Largest eigenvalue of a PSD matrix with a dominant eigenvalue, by power iteration.

    Starts from the all-ones vector (close to the top eigenvector of these kernel matrices) and
    stops when the Rayleigh quotient changes by < 1e-13 (relative); falls back to the dense
    eigensolver (``dense()``) when that has not happened within 300 steps.
    """
    v = np.ones(n) / np.sqrt(n)
    lam = 0.0
    for _ in range(300):
        w = matvec(v)
        new = float(v @ w)
        nw = float(np.linalg.norm(w))
        if nw == 0.0:
            return 0.0
        v = w / nw
        if abs(new - lam) <= 1e-13 * abs(new):
            return new
        lam = new
    return top_eig(dense())


def quantile_implied(
    deviation: Callable[[np.random.Generator, dict[str, Any]], float],
    rate: Callable[[dict[str, Any]], float],
    reps: int,
) -> Callable[[dict[str, Any], np.random.Generator], float]:
    r"""``implied(point, rng)``: one draw of :math:`q_{1-\delta}(\text{deviation})/\text{rate}`.

    The draw is the empirical (1 − δ)-quantile of ``reps`` fresh deviations, all generated from
    the ``rng`` the protocol passes in (no seed inside the claim).
    """

    def implied(point: dict[str, Any], rng: np.random.Generator) -> float:
        with single_thread():
            dev = np.array([deviation(rng, point) for _ in range(reps)])
        return float(np.quantile(dev, 1.0 - float(point["delta"]))) / rate(point)

    return implied


# -- a discrete data law: exact kernel spectra at any n through L × L matrices -----------------

#: Angles and weights of the L = 4 atoms of the discrete data law on the circle (Lemmas F.14, F.15).
ATOM_ANGLES = (0.0, 1.2, 2.6, 4.3)
ATOM_WEIGHTS = (0.7, 0.1, 0.1, 0.1)
#: The atoms :math:`z_a=(\cos a,\sin a)` as rows, shape (4, 2).
_ATOM_POINTS = np.c_[np.cos(np.array(ATOM_ANGLES)), np.sin(np.array(ATOM_ANGLES))]


@cache
def atoms_population() -> tuple[float, float]:
    r""":math:`(\lambda_1(\mathcal K),\sum_i\lambda_i^2(\mathcal K))` for ρ on the atoms.

    The nonzero spectrum of :math:`\mathcal K` is that of :math:`P^{1/2}K_0P^{1/2}`, P the weights and
    :math:`K_0=(\kappa(z_a^Tz_b))` on the atoms.
    """
    s = np.sqrt(np.array(ATOM_WEIGHTS))
    A = s[:, None] * kappa_angles(np.array(ATOM_ANGLES)) * s[None, :]
    return top_eig(A), float(np.sum(A * A))


def atoms_khat(rng: np.random.Generator, n: int, m: int) -> np.ndarray:
    r"""An L × L matrix with the nonzero spectrum of :math:`\hat K=G/n` for n data from the atoms, m features.

    With counts :math:`N_a` (multinomial), :math:`S=\mathrm{diag}(\sqrt{N_a/n})` and
    :math:`\hat M=\frac1m\Psi\Psi^T`, :math:`\Psi_{as}=\mathrm{ReLU}(w_s^Tz_a)` (atoms :math:`z_a`,
    :math:`w_s\sim\mathrm{Unif}(\sqrt2\,\mathbb S^1)`): :math:`\hat K=\frac1nE\hat ME^T` (E the n × L
    membership matrix), so :math:`\hat K` and :math:`S\hat MS` share their nonzero eigenvalues and
    :math:`\|\hat K\|_F=\|S\hat MS\|_F`, exactly, at a cost O(Lm) instead of O(n²m).
    """
    s = np.sqrt(rng.multinomial(n, ATOM_WEIGHTS) / n)
    Z = rng.standard_normal((m, 2))
    # In place, few large temporaries (each fresh one pays page faults at large m); the same
    # operations in the same order as max(z_a^T Z^T, 0) · √2/‖z_s‖, so the same bits.
    Psi = _ATOM_POINTS @ Z.T
    np.maximum(Psi, 0.0, out=Psi)
    w = Z * Z
    w = np.sqrt(np.add(w[:, 0], w[:, 1]))  # ‖z_s‖, as np.linalg.norm(Z, axis=1)
    np.divide(np.sqrt(2.0), w, out=w)
    Psi *= w
    return s[:, None] * (Psi @ Psi.T / m) * s[None, :]
