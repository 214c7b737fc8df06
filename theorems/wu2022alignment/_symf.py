r"""Shared sympy obligations for the Rademacher lemmas of Appendix F (not collected: leading underscore).

The bounds of Lemmas F.4, F.5 and F.8 all rest on two steps: the second moment of a Rademacher sum,
:math:`\mathbb{E}_\xi\|\sum_i\xi_i\phi_i\|^2=\sum_i\|\phi_i\|^2` (taken here by enumerating all
:math:`2^n` sign vectors, for a symbolic Gram matrix), and Jensen's inequality
:math:`\mathbb{E}\sqrt X\le\sqrt{\mathbb{E}X}`, whose finite form is that a variance is a sum of squares.
"""

from __future__ import annotations

import itertools
from typing import Any


def rademacher_second_moment(n: int = 3) -> Any:
    r""":math:`\mathbb{E}_\xi[\xi^TK\xi]=\operatorname{tr}K` for a symbolic symmetric n × n Gram matrix K."""
    import sympy as sp

    from verifythm.evidence.symbolic import Identity

    K = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"k{min(i, j) + 1}{max(i, j) + 1}", real=True))
    signs = list(itertools.product((-1, 1), repeat=n))
    ev = sum(((sp.Matrix(s).T * K * sp.Matrix(s))[0] for s in signs), sp.Integer(0)) / len(signs)
    return Identity(ev, K.trace(), f"E_ξ‖Σ_i ξ_iφ_i‖² = ξᵀKξ averaged over all 2^{n} signs = tr K")


def jensen(N: int = 4) -> Any:
    r"""Finite Jensen: :math:`\overline{s^2}-\bar s^2=\frac1{N^2}\sum_{j<k}(s_j-s_k)^2`.

    Hence :math:`\mathbb{E}\sqrt X\le\sqrt{\mathbb{E}X}` with :math:`s=\sqrt X` uniform on N values.
    """
    import sympy as sp

    from verifythm.evidence.symbolic import Identity

    s = sp.symbols(f"s1:{N + 1}", nonnegative=True)
    lhs = sum(x**2 for x in s) / N - (sum(s) / N) ** 2
    rhs = sum((s[j] - s[k]) ** 2 for j in range(N) for k in range(j + 1, N)) / N**2
    return Identity(lhs, rhs, f"Jensen, N = {N}: mean(s²) − mean(s)² = (1/N²)Σ_(j<k)(s_j − s_k)² ≥ 0")
