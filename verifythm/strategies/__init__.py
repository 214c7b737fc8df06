r"""Public Hypothesis strategies and seeded generators (imports Hypothesis).

One vocabulary of PSD matrices and families :math:`\{H_i\}` lives in
:mod:`verifythm.strategies.families` (kinds :data:`ALL_KINDS`; :func:`random_psd_with`,
:func:`psd_with`, :func:`random_family`, :func:`family`, :func:`families`,
:func:`random_gradient_matrix`, :func:`gradient_matrices`); models and data in
:mod:`verifythm.strategies.models`; bounded floats in :mod:`verifythm.strategies.scalars`.

Deprecated (from the retired :mod:`verifythm.strategies.matrices`, kept draw for draw for the
catalogue, with a :class:`DeprecationWarning` when called from outside ``verifythm`` and
``theorems``): ``FAMILIES``, ``random_psd``, ``random_gradients``, ``psd_matrices``,
``spectra``, ``gradient_families``, ``residual_vectors``, ``gradients_and_residuals``.
"""

from verifythm.strategies.families import (
    ALL_KINDS,
    ALL_RANK_ONE_KINDS,
    FAMILY_KINDS,
    GRADIENT_KINDS,
    RANK_ONE_KINDS,
    FamilyDraw,
    dexter2024_family,
    dexter2024_thm2_family,
    families,
    family,
    gradient_matrices,
    psd_with,
    random_family,
    random_gradient_matrix,
    random_psd_with,
)
from verifythm.strategies.instances import family_instance
from verifythm.strategies.matrices import (
    FAMILIES,
    gradient_families,
    gradients_and_residuals,
    psd_matrices,
    random_gradients,
    random_psd,
    residual_vectors,
    spectra,
)
from verifythm.strategies.models import (
    ADVERSARIAL_MODES,
    CLASSIFICATION_KINDS,
    MODEL_KINDS,
    POINTS,
    SQUARE_KINDS,
    problems,
    random_problem,
)
from verifythm.strategies.scalars import real_vectors, reals

__all__ = [
    "ADVERSARIAL_MODES",
    "ALL_KINDS",
    "ALL_RANK_ONE_KINDS",
    "CLASSIFICATION_KINDS",
    "FAMILIES",
    "FAMILY_KINDS",
    "GRADIENT_KINDS",
    "MODEL_KINDS",
    "POINTS",
    "RANK_ONE_KINDS",
    "SQUARE_KINDS",
    "FamilyDraw",
    "dexter2024_family",
    "dexter2024_thm2_family",
    "families",
    "family",
    "family_instance",
    "gradient_families",
    "gradient_matrices",
    "gradients_and_residuals",
    "problems",
    "psd_matrices",
    "psd_with",
    "random_family",
    "random_gradient_matrix",
    "random_gradients",
    "random_problem",
    "random_psd",
    "random_psd_with",
    "real_vectors",
    "reals",
    "residual_vectors",
    "spectra",
]
