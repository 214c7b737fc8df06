"""Public Hypothesis strategies and seeded generators (imports Hypothesis)."""

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

__all__ = [
    "FAMILIES",
    "gradient_families",
    "gradients_and_residuals",
    "psd_matrices",
    "random_gradients",
    "random_psd",
    "residual_vectors",
    "spectra",
]
