r"""Private sympy helpers shared by the symbolic checks of the dexter2024precise catalogue (not collected).

* :func:`sym_matrix`: a symmetric :math:`d\times d` matrix of real symbols (a generic member
  :math:`H_i`, a square root :math:`H_i^{1/2}`, or a test matrix :math:`W`).
* :func:`bernoulli_mean`: :math:`\mathbb E f(x)` over :math:`x\in\{0,1\}^n`, :math:`x_i\sim\mathrm{Bern}(p)`
  i.i.d., by exact enumeration of the :math:`2^n` masks (Definition 1's sampling).
* :func:`subset_mean`: :math:`\mathbb E f(S)` over a uniformly random :math:`B`-subset :math:`S\subseteq[n]`
  (sampling without replacement), by exact enumeration.
* :func:`coherence_sym` / :func:`top_eigenvalue`: Definition 2's :math:`S` of sympy matrices
  (through :math:`S_{ij}^2=\operatorname{tr}H_iH_j`) and the largest eigenvalue of a sympy matrix.
* :func:`lagrange`: :math:`\sum_{p<q}(u_pv_q-u_qv_p)^2`, Lagrange's form of the Cauchy–Schwarz gap.
* :func:`f_threshold_sym`: Theorem 1's threshold :math:`\frac\sigma\eta(\frac nB-1)^{-1/2}` in sympy.
* :func:`noise_c`: :math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}`, the factor of Lemma 4.1.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any


def sym_matrix(name: str, d: int) -> Any:
    """A symmetric ``d × d`` sympy matrix of real symbols ``name_ij`` (``i ≤ j``)."""
    import sympy as sp

    entries = {(i, j): sp.Symbol(f"{name}_{i}{j}", real=True) for i in range(d) for j in range(i, d)}
    return sp.Matrix(d, d, lambda i, j: entries[(min(i, j), max(i, j))])


def bernoulli_mean(f: Callable[[tuple[int, ...]], Any], n: int, p: Any) -> Any:
    r""":math:`\sum_{x\in\{0,1\}^n}p^{|x|}(1-p)^{n-|x|}f(x)` (exact; ``f`` may return matrices)."""
    total: Any = None
    for x in itertools.product((0, 1), repeat=n):
        k = sum(x)
        term = p**k * (1 - p) ** (n - k) * f(x)
        total = term if total is None else total + term
    return total


def subset_mean(f: Callable[[tuple[int, ...]], Any], n: int, B: int) -> Any:
    """Mean of ``f(S)`` over the ``C(n, B)`` subsets ``S`` of ``range(n)`` of size ``B`` (exact)."""
    import sympy as sp

    subsets = list(itertools.combinations(range(n), B))
    total: Any = None
    for S in subsets:
        term = f(S)
        total = term if total is None else total + term
    return total * sp.Rational(1, len(subsets))


def noise_c(eta: Any, n: Any, B: Any) -> Any:
    r""":math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}` (Lemma 4.1)."""
    return eta**2 / (n * B) - eta**2 / n**2


def coherence_sym(Hs: list[Any]) -> Any:
    """S_ij = sqrt(tr(H_iH_j)) of sympy matrices (Definition 2 through its trace identity)."""
    import sympy as sp

    n = len(Hs)
    return sp.Matrix(n, n, lambda i, j: sp.sqrt((Hs[i] * Hs[j]).trace()))


def top_eigenvalue(M: Any) -> Any:
    """The largest eigenvalue of a sympy matrix (``Max`` over its eigenvalues)."""
    import sympy as sp

    return sp.Max(*M.eigenvals().keys())


def lagrange(u: list[Any], v: list[Any]) -> Any:
    """Lagrange's identity's right side: ``Σ_{p<q} (u_p v_q − u_q v_p)²``."""
    return sum((u[p] * v[q] - u[q] * v[p]) ** 2 for p in range(len(u)) for q in range(p + 1, len(u)))


def f_threshold_sym(eta: Any, sigma: Any, n: Any, B: Any) -> Any:
    r"""Theorem 1's threshold :math:`\frac\sigma\eta(\frac nB-1)^{-1/2}` of sympy expressions."""
    import sympy as sp

    return sigma / (eta * sp.sqrt(n / B - 1))
