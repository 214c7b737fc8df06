r"""Private sympy helpers shared by the symbolic checks of the dexter2024precise catalogue (not collected).

* :func:`sym_matrix`: a symmetric :math:`d\times d` matrix of real symbols (a generic member
  :math:`H_i`, a square root :math:`H_i^{1/2}`, or a test matrix :math:`W`).
* :func:`bernoulli_mean`: :math:`\mathbb E f(x)` over :math:`x\in\{0,1\}^n`, :math:`x_i\sim\mathrm{Bern}(p)`
  i.i.d., by exact enumeration of the :math:`2^n` masks (Definition 1's sampling).
* :func:`subset_mean`: :math:`\mathbb E f(S)` over a uniformly random :math:`B`-subset :math:`S\subseteq[n]`
  (sampling without replacement), by exact enumeration.
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
