r"""Symbolic building blocks shared by the wang2023noise modules (sympy, small sizes; not collected).

Every helper returns sympy objects; the obligations themselves live in the result modules, next to the
step of the paper they derive.
"""

from __future__ import annotations

from typing import Any


def sym_matrix(name: str, rows: int, cols: int, **assumptions: Any) -> Any:
    """A ``rows × cols`` sympy matrix of independent real symbols ``name_ij``."""
    import sympy as sp

    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}{i + 1}{j + 1}", real=True, **assumptions))


def sym_vector(name: str, size: int, **assumptions: Any) -> Any:
    """A column vector of independent real symbols ``name_i``."""
    import sympy as sp

    return sp.Matrix([sp.Symbol(f"{name}{i + 1}", real=True, **assumptions) for i in range(size)])


def gaussian_expectation(expr: Any, zs: Any) -> Any:
    r"""Exact :math:`\mathbb E_z[\text{expr}]` for a polynomial in independent :math:`z_j\sim\mathcal N(0,1)`.

    Expands in the ``zs`` and replaces every monomial :math:`\prod z_j^{k_j}` by
    :math:`\prod\mathbb Ez^{k_j}` (0 for odd :math:`k`, :math:`(k-1)!!` for even :math:`k`).  Matrices are
    handled entrywise.
    """
    import sympy as sp

    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(lambda e: gaussian_expectation(e, zs))

    def moment(k: int) -> Any:
        return 0 if k % 2 else sp.factorial2(k - 1) if k else 1

    poly = sp.Poly(sp.expand(expr), *zs)
    return sp.expand(sum(c * sp.prod([moment(k) for k in mon]) for mon, c in poly.terms()))


def mean(terms: list[Any]) -> Any:
    """Uniform average (exact enumeration over a sampled index)."""
    import sympy as sp

    return sum(terms, sp.zeros(*terms[0].shape) if hasattr(terms[0], "shape") else 0) / len(terms)


def trace(A: Any) -> Any:
    return A.trace()


def scalar(A: Any) -> Any:
    """The single entry of a 1 × 1 sympy matrix."""
    return A[0, 0]


def olm_population(d: int = 2, p: int = 2) -> dict[str, Any]:
    r"""Symbolic OLM population quantities in whitened coordinates, :math:`\bar\Sigma_1` by Gaussian moments.

    With :math:`x=S^{1/2}z`, :math:`z\sim\mathcal N(0,I_d)`, :math:`u=S^{1/2}r` and :math:`K=S^{1/2}J`
    (symbols ``u_i``, ``k_ij``): :math:`\bar{\mathcal L}=\frac12\|u\|^2`, :math:`\bar G=K^TK`,
    :math:`\nabla\bar{\mathcal L}=K^Tu` and :math:`\bar\Sigma_1=\mathbb E[(u^Tz)^2K^Tzz^TK]`, the last one
    by exact enumeration of the Gaussian moments of the monomials (no Isserlis assumed).
    """
    import sympy as sp

    u, K = sym_vector("u", d), sym_matrix("k", d, p)
    z = sym_vector("z", d)
    Sigma1 = gaussian_expectation((u.T * z)[0, 0] ** 2 * K.T * z * z.T * K, list(z))
    return {
        "u": u,
        "K": K,
        "L": (u.T * u)[0, 0] / 2,
        "G": K.T * K,
        "gradL": K.T * u,
        "S1": Sigma1,
        "v": sym_vector("v", p),
        "zero": sp.zeros(p, p),
    }


def lagrange_defect(a: Any, b: Any) -> Any:
    r"""Lagrange's identity's right side :math:`\sum_{i<j}(a_ib_j-a_jb_i)^2` (equals ‖a‖²‖b‖² − (aᵀb)²)."""
    m = a.shape[0]
    return sum((a[i] * b[j] - a[j] * b[i]) ** 2 for i in range(m) for j in range(i + 1, m))


def fourth_moment_mean() -> tuple[Any, Any, Any]:
    """a, b ∈ R² symbolic and m = E[(aᵀz)²(bᵀz)²], z ~ N(0, I₂), by exact Gaussian moments."""
    a, b, z = sym_vector("a", 2), sym_vector("b", 2), sym_vector("z", 2)
    m = gaussian_expectation((a.T * z)[0, 0] ** 2 * (b.T * z)[0, 0] ** 2, list(z))
    return a, b, m


def fourth_moment_identity(a: Any, b: Any, m: Any) -> Any:
    """The identity m = ‖a‖²‖b‖² + 2(aᵀb)² (Isserlis) for the output of :func:`fourth_moment_mean`."""
    from verifythm import Identity

    na, nb, ab = (a.T * a)[0, 0], (b.T * b)[0, 0], (a.T * b)[0, 0]
    return Identity(
        m, na * nb + 2 * ab**2, "m = E[(aᵀz)²(bᵀz)²] = ‖a‖²‖b‖² + 2(aᵀb)² (exact Gaussian moments)"
    )
