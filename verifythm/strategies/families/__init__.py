r"""The one vocabulary of PSD matrices and families :math:`\{H_i\}`: generators and strategies.

Two entry points share every construction:

* Hypothesis strategies (:func:`psd_with`, :func:`family`, :func:`families`,
  :func:`gradient_matrices`) for ``@given`` and :class:`~verifythm.PropertyCheck`.  Sizes are
  drawn as small integers and every random number as a bounded float, so failing examples
  shrink towards small ``n`` and ``d``, an identity eigenbasis, zero data and the lower end
  of each parameter range.
* Seeded numpy generators (:func:`random_psd_with`, :func:`random_family`,
  :func:`random_gradient_matrix`) for the deterministic instance streams of exact checks and
  benchmarks.

A family is an ``(n, d, d)`` float64 array whose ``i``-th slice is :math:`H_i`; every slice is
finite, exactly symmetric and positive semi-definite.  Kinds whose members are rank one can
also return the vectors :math:`g_i` (an ``(n, d)`` array with :math:`H_i = g_i g_i^T`), or
the gradient matrix :math:`Q = (g_1,\dots,g_n)\in\mathbb{R}^{d\times n}` of the square-loss
claims.

The package is split along its seams: :mod:`~verifythm.strategies.families.validation`
(arguments), :mod:`~verifythm.strategies.families.sources` (numpy or Hypothesis randomness),
:mod:`~verifythm.strategies.families.builders` (the constructions),
:mod:`~verifythm.strategies.families.kinds` (names, parameters, their defaults, strategies and
rules), :mod:`~verifythm.strategies.families.psd` and :mod:`~verifythm.strategies.families.api`
(the public functions), and :mod:`~verifythm.strategies.families.legacy` (the retired
``matrices`` vocabulary, kept draw for draw, and the map from its names to these kinds).

Every kind is in :data:`ALL_KINDS`.  :data:`FAMILY_KINDS` (and :data:`RANK_ONE_KINDS`) are
the kinds the catalogue's streams cycle through (:func:`families`' default,
:func:`~verifythm.strategies.family_instance`); they are frozen so that those streams, and the
verdicts drawn from them, stay the same.  :data:`GRADIENT_KINDS` are the kinds with rank-one
members (some with ``rank=1``), the default of :func:`gradient_matrices`.

Kinds (:data:`ALL_KINDS`) and what each one guarantees:

``gaussian``, ``anisotropic``, ``sphere``, ``heavy_tailed``
    Rank one from data, :math:`H_i = x_i x_i^T` with :math:`x_i` isotropic Gaussian, Gaussian
    with covariance ``diag(cov_spectrum)``, uniform on the sphere of radius ``radius``
    (so :math:`\operatorname{tr} H_i = \text{radius}^2`), or multivariate Student-t with
    ``df`` degrees of freedom.
``wishart``
    :math:`H_i = \frac1r \sum_{k\le r} z_{ik} z_{ik}^T` with standard Gaussian :math:`z_{ik}`
    (``rank`` = r), so :math:`\operatorname{rank} H_i \le \min(r, d)`.
``commuting``
    One shared eigenbasis (the standard basis when ``diagonal``), ``rank`` positive
    eigenvalues per member: :math:`H_i H_j = H_j H_i`.
``orthogonal``
    Members supported on disjoint blocks of ``rank`` orthonormal directions, so
    :math:`H_i H_j = 0` for :math:`i \ne j`; needs :math:`n\cdot\text{rank} \le d`.
``identical``
    All members bitwise equal to one PSD matrix of given ``rank``, ``condition`` and ``scale``.
``nearly_coherent``
    :math:`H_i = H_0 + \varepsilon \|H_0\|_F\, u_i u_i^T` with unit :math:`u_i`: every member is
    at Frobenius distance exactly :math:`\varepsilon\|H_0\|_F` from :math:`H_0`, hence the
    trace-cosine :math:`\operatorname{tr}(H_iH_j)/(\|H_i\|_F\|H_j\|_F) \ge 1 - 2\varepsilon^2`.
``low_stable_rank``
    Each member has eigenvalues :math:`w_i t^k` (:math:`k < \text{rank}`) with :math:`t` solved
    so that its stable rank :math:`\|H_i\|_F^2/\|H_i\|_2^2` equals ``stable_rank``; with
    ``shared_basis`` the members commute and the mean has the same stable rank.
``heterogeneous``
    Members of spectral norm :math:`10^{e_i}`, the exponents spanning exactly ``orders``
    decades (for :math:`n \ge 2`).
``dexter2024``
    The tunable-coherence family of the experiments of :cite:`dexter2024precise` (§5.1):
    the first ``sigma`` members equal :math:`m e_1 e_1^T`, member :math:`i > \sigma` equals
    :math:`m e_{i-\sigma+1} e_{i-\sigma+1}^T`, :math:`m = \lambda_1 n / \sigma`.  Its coherence
    measure (Definition 2 of the paper) is exactly ``sigma`` and the mean Hessian has top
    eigenvalue ``lam1`` (2 in the paper).  Dimensions beyond :math:`n-\sigma+1` are zero.
``dexter2024_thm2``
    The construction in the proof of Theorem 2 of :cite:`dexter2024precise`: the first
    ``sigma`` members equal :math:`m e_1 e_1^T`, the others are zero, :math:`m = \lambda_1 n/\sigma`.
``wu2022_relu``
    Random ReLU features as in Proposition 2.5 of :cite:`wu2022alignment`:
    :math:`g_i = \mathrm{ReLU}(W x_i)` with rows of :math:`W` uniform on the sphere of radius
    :math:`\sqrt{k}` in :math:`\mathbb{R}^k` (``input_dim`` = k) and :math:`x_i` uniform on the
    unit sphere; :math:`H_i = g_i g_i^T` (the Hessian of a squared loss at an interpolating
    minimum of the feature model), ``d`` = number of features.
``sparse``
    Rank one, :math:`g_i` with standard Gaussian entries each kept with probability
    ``density`` (0.3), independently: sparse gradients, zero members possible.
``scaled``
    Rank one, :math:`g_i = 10^{e_i} z_i` with standard Gaussian :math:`z_i` and
    :math:`e_i \sim U[-\text{orders}/2, \text{orders}/2]` (``orders`` = 6): member norms
    spread over up to ``orders`` decades.

``sparse`` and ``scaled`` come from the retired ``verifythm.strategies.matrices`` and are built
by the same code, so ``random_gradient_matrix(rng, "sparse", p, n)`` and the deprecated
``random_gradients(rng, p, n, "sparse")`` draw the same bits.  The other four names of the old
``FAMILIES`` (``gaussian``, ``anisotropic``, ``identical``, ``orthogonal``) meant different
generators there; the deprecated functions keep them, and
:data:`~verifythm.strategies.families.legacy.LEGACY_KINDS` says which kind replaces each.
"""

from __future__ import annotations

from verifythm.strategies.families.api import (
    dexter2024_family,
    dexter2024_thm2_family,
    families,
    family,
    gradient_matrices,
    random_family,
    random_gradient_matrix,
)
from verifythm.strategies.families.kinds import (
    ALL_KINDS,
    ALL_RANK_ONE_KINDS,
    FAMILY_KINDS,
    GRADIENT_KINDS,
    RANK_ONE_KINDS,
    FamilyDraw,
)
from verifythm.strategies.families.kinds import Default as Default  # type aliases of the one-module layout
from verifythm.strategies.families.kinds import Strat as Strat
from verifythm.strategies.families.legacy import LEGACY_KINDS, equivalent_kind
from verifythm.strategies.families.psd import psd_with, random_psd_with

__all__ = [
    "ALL_KINDS",
    "ALL_RANK_ONE_KINDS",
    "FAMILY_KINDS",
    "GRADIENT_KINDS",
    "LEGACY_KINDS",
    "RANK_ONE_KINDS",
    "FamilyDraw",
    "dexter2024_family",
    "dexter2024_thm2_family",
    "equivalent_kind",
    "families",
    "family",
    "gradient_matrices",
    "psd_with",
    "random_family",
    "random_gradient_matrix",
    "random_psd_with",
]
