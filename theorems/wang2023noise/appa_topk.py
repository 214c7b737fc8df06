r"""Wang & Wu (2023), Appendix A: matrix-free top-k eigenpairs of G and Σ.

Setting
-------
Linear model at one θ: inputs :math:`x_i\in\mathbb R^p` (rows of :math:`X`), residuals :math:`e_i`,
per-sample gradients :math:`\nabla\ell_i=e_ix_i`, :math:`G=\frac1n\sum_ix_ix_i^T`,
:math:`\Sigma_1=\frac1n\sum_ie_i^2x_ix_i^T`,
:math:`\Sigma=\Sigma_0=\Sigma_1-\nabla\mathcal L\nabla\mathcal L^T`
(Eq. (7)).  Appendix A computes the top-k eigenpairs with ``scipy.sparse.linalg.eigsh`` on a
``LinearOperator`` whose matvec is :math:`Gv=\frac1n\sum_i(x_i^Tv)x_i` (resp.
:math:`\Sigma v=\frac1n\sum_i(\nabla\ell_i^Tv)\nabla\ell_i-(\nabla\mathcal L^Tv)\nabla\mathcal L`),
never forming the :math:`p\times p` matrix.  (The large-model Monte-Carlo subsampling with
:math:`b=2k` is an approximation and is not encoded.)

Statement
---------
The matrix-free top-k eigenpairs equal those of the dense eigendecomposition.

Evidence
--------
Encoding: two identities per matrix :math:`M\in\{G,\Sigma\}`, on instances with an eigengap
:math:`\lambda_k-\lambda_{k+1}\ge10^{-3}\lambda_1` (else the top-k subspace is not defined):

* ``…eigvals``: :math:`\sum_{j\le k}\lambda_j` from ``eigsh`` equals the dense value, and every one of the
  k values agrees (the comparison uses the sum; the per-value maximum error is folded into it as
  :math:`\sum_j\lambda^{\rm op}_j+\max_j|\lambda^{\rm op}_j-\lambda^{\rm dense}_j|`);
* ``…subspace``: :math:`\mathrm{tr}(P_{\rm op}P_{\rm dense})=k` for the projectors on the two top-k
  eigenspaces (equal iff the subspaces coincide), which is invariant to signs and rotations inside
  repeated eigenvalues.

Tolerance: rtol :math:`10^{-8}`, atol :math:`10^{-10}` (ARPACK is run to machine precision; the eigengap
is :math:`\ge10^{-3}\lambda_1`, so Davis–Kahan leaves the subspace error at round-off level).

* ``exact``: seeded instances, :math:`p\in[3,40]`, :math:`n\in[2,30]` (so :math:`G` is often rank
  deficient, :math:`n<p`), residuals with mixed scales, :math:`k\in[1,\min(6,p-1)]`, plus a fixed diagonal
  case; ``eigsh`` gets a seeded start vector.  The matvecs accept length-:math:`p` vectors only (they raise
  on anything else), so no :math:`p\times p` matrix enters the operator path.
* ``symbolic``: the module's own matrix-free products, run on sympy entries (:math:`n=3`, :math:`p=2`),
  equal :math:`Gv` and :math:`\Sigma v` with :math:`\Sigma` the batch-one noise covariance by enumeration.
* ``property``: Hypothesis over inputs from ``gradient_matrices`` (every rank-one kind, :math:`p\le16`,
  :math:`n\le12`), residuals, :math:`k` and the start-vector seed (the eigengap hypothesis filters).

References
----------
[wang2023noise, Appendix A, "Efficient computations of the top-k eigen-decomposition of G and Σ"].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import INT, array
from verifythm.strategies import gradient_matrices, real_vectors

from ._common import KEY

SOURCE = Source(KEY, "Appendix A (top-k eigen-decomposition via LinearOperator)")
GAP = 1e-3


def matvecs(X: np.ndarray, e: np.ndarray) -> dict[str, Any]:
    """Matrix-free products ``v ↦ Gv`` and ``v ↦ Σv`` from the data and per-sample gradients only."""
    n = X.shape[0]
    grads = X * e[:, None]
    gL = grads.mean(axis=0)

    def vec(v: np.ndarray) -> np.ndarray:
        v = np.ravel(v)
        if v.size != X.shape[1]:
            raise ValueError("matrix-free matvec takes a single length-p vector")
        return v

    def g(v: np.ndarray) -> np.ndarray:
        v = vec(v)
        return X.T @ (X @ v) / n

    def sig(v: np.ndarray) -> np.ndarray:
        v = vec(v)
        return grads.T @ (grads @ v) / n - gL * (gL @ v)

    return {"G": g, "S": sig}


def dense(X: np.ndarray, e: np.ndarray) -> dict[str, np.ndarray]:
    """The same matrices formed densely (reference only)."""
    n = X.shape[0]
    grads = X * e[:, None]
    gL = grads.mean(axis=0)
    return {"G": X.T @ X / n, "S": grads.T @ grads / n - np.outer(gL, gL)}


def topk_operator(mv: Any, p: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k eigenpairs (descending) by ``eigsh`` on a ``LinearOperator``."""
    from scipy.sparse.linalg import LinearOperator, eigsh

    op = LinearOperator((p, p), matvec=mv, dtype=float)
    v0 = np.random.default_rng(seed).standard_normal(p)
    lam, V = eigsh(op, k=k, which="LA", v0=v0, tol=0.0)
    order = np.argsort(lam)[::-1]
    return lam[order], V[:, order]


def _pair(inst: dict[str, Any], which: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    X, e, k = inst["X"], inst["e"], inst["k"]
    lam_op, V_op = topk_operator(matvecs(X, e)[which], X.shape[1], k, inst["seed"])
    lam_d, V_d = np.linalg.eigh(dense(X, e)[which])
    return lam_op, V_op, lam_d[::-1][:k], V_d[:, ::-1][:, :k]


def _eigvals(which: str):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        lam_op, _, lam_d, _ = _pair(inst, which)
        worst = float(np.max(np.abs(lam_op - lam_d)))
        return Comparison(
            float(lam_op.sum()) + worst,
            float(lam_d.sum()),
            "==",
            f"Σ top-k eigsh({which} LinearOperator) + max error",
            "Σ top-k dense eigh",
        )

    return conclusion


def _subspace(which: str):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        _, V_op, _, V_d = _pair(inst, which)
        overlap = float(np.sum((V_d.T @ V_op) ** 2))  # tr(P_dense P_op)
        return Comparison(overlap, float(V_d.shape[1]), "==", "tr(P_op P_dense)", "k")

    return conclusion


def _generate(rng: np.random.Generator, count: int) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        p, n = int(rng.integers(3, 41)), int(rng.integers(2, 31))
        X = rng.standard_normal((n, p)) * 10 ** rng.uniform(-1, 1, size=p)[None, :]
        e = rng.standard_normal(n) * 10 ** rng.uniform(-2, 1)
        if i % 4 == 3:
            e[: n // 2] = 0.0  # interpolated samples: Σ of lower rank
        k = int(rng.integers(1, min(6, p - 1) + 1))
        out.append({"X": X, "e": e, "k": k, "seed": int(rng.integers(2**31))})
    return out


def _matvec_obligations(which: str) -> Any:
    def build() -> list[Identity]:
        """The module's own matrix-free products, run on sympy entries (n = 3, p = 2), against G and Σ.

        G = (1/n)Σ_i x_ix_iᵀ and Σ = E[(∇ℓ_i − ∇L)(∇ℓ_i − ∇L)ᵀ] with ∇ℓ_i = e_ix_i, the expectation by
        enumerating the sampled index (the batch-one SGD noise covariance Σ₀ of Eq. (7)).
        """
        import sympy as sp

        n, p = 3, 2
        X = np.array(sp.symbols(f"x1:{n * p + 1}", real=True), dtype=object).reshape(n, p)
        e = np.array(sp.symbols(f"e1:{n + 1}", real=True), dtype=object)
        v = np.array(sp.symbols(f"v1:{p + 1}", real=True), dtype=object)
        got = sp.Matrix(matvecs(X, e)[which](v))
        xs = [sp.Matrix(X[i]) for i in range(n)]
        if which == "G":
            M = sum((x * x.T for x in xs), sp.zeros(p, p)) / n
        else:
            grads = [e[i] * xs[i] for i in range(n)]
            gL = sum(grads, sp.zeros(p, 1)) / n
            M = sum(((g - gL) * (g - gL).T for g in grads), sp.zeros(p, p)) / n
        return [Identity(got, M * sp.Matrix(v), f"matrix-free v ↦ {_NAMES[which]}v equals the definition")]

    return build


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    """Rows of a ``gradient_matrices`` draw (every rank-one kind), p up to 16, residuals with zeros."""
    p, n = draw(st.integers(3, 16)), draw(st.integers(2, 12))
    X = draw(gradient_matrices(n=n, p=p)).T
    e = draw(real_vectors(n, -3, 3))
    return {"X": X, "e": e, "k": draw(st.integers(1, min(6, p - 1))), "seed": draw(st.integers(0, 2**31 - 1))}


_FIXED = [
    {
        "X": np.diag([3.0, 2.0, 1.0, 0.5]) * 2.0,
        "e": np.array([1.0, -1.0, 0.5, 2.0]),
        "k": 2,
        "seed": 0,
    }
]


def _gap_ok(which: str):
    def ok(inst: dict[str, Any]) -> bool:
        X, e, k = inst["X"], inst["e"], inst["k"]
        if not (np.all(np.isfinite(X)) and np.all(np.isfinite(e)) and 1 <= k < X.shape[1]):
            return False
        lam = np.linalg.eigvalsh(dense(X, e)[which])[::-1]
        return bool(lam[0] > 0 and lam[k - 1] - lam[k] >= GAP * lam[0])

    return Hypothesis(f"finite, 1 ≤ k < p, eigengap λ_k − λ_(k+1) ≥ {GAP:g}·λ₁ of {which}", ok)


_TOL = Tolerance(rtol=1e-8, atol=1e-10)
_NAMES = {"G": "G", "S": "Σ"}


def _claims(which: str) -> list[Claim]:
    name = _NAMES[which]
    key = which.lower() if which == "G" else "sigma"
    common = {
        "source": SOURCE,
        "hypotheses": (_gap_ok(which),),
        "checks": (
            SymbolicCheck("symbolic", _matvec_obligations(which)),
            ExactCheck("exact", _generate, fixed=_FIXED, note="seeded eigsh start vector"),
            PropertyCheck("property", _instances(), max_examples=25),
        ),
        "tolerance": _TOL,
        "kind": "identity",
        "inputs": {"X": array(), "e": array(), "k": INT, "seed": INT},
    }
    return [
        Claim(
            id=f"wang2023.appa.topk_{key}.eigvals",
            title=f"Top-k eigenvalues of {name} by eigsh on a matrix-free LinearOperator = dense ones",
            statement=rf"$\mathrm{{eigsh}}(v\mapsto {name}v)$ top-$k$ eigenvalues $=$ "
            r"dense top-$k$ eigenvalues.",
            conclusion=_eigvals(which),
            **common,
        ),
        Claim(
            id=f"wang2023.appa.topk_{key}.subspace",
            title=f"Top-k eigenspace of {name} by eigsh on a matrix-free LinearOperator = dense one",
            statement=r"$\mathrm{tr}(P_{\rm op}P_{\rm dense})=k$ "
            rf"for the top-$k$ eigenspaces of ${name}$.",
            conclusion=_subspace(which),
            **common,
        ),
    ]


CLAIMS = [*_claims("G"), *_claims("S")]
