"""Public Hypothesis strategies and seeded generators (imports Hypothesis)."""

from verifythm.strategies.families import (
    FAMILY_KINDS,
    RANK_ONE_KINDS,
    FamilyDraw,
    dexter2024_family,
    dexter2024_thm2_family,
    families,
    family,
    psd_with,
    random_family,
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

__all__ = [
    "ADVERSARIAL_MODES",
    "CLASSIFICATION_KINDS",
    "FAMILIES",
    "FAMILY_KINDS",
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
    "gradients_and_residuals",
    "problems",
    "psd_matrices",
    "psd_with",
    "random_family",
    "random_gradients",
    "random_problem",
    "random_psd",
    "random_psd_with",
    "residual_vectors",
    "spectra",
]
