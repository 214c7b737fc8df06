"""The papers' named quantities, each defined once (see each function's source)."""

from verifythm.quantities.alignment import (
    AlignmentFactors,
    NormUniformity,
    alignment_factors,
    centering,
    fisher_dense,
    noise_covariances_dense,
    norm_uniformity,
)

__all__ = [
    "AlignmentFactors",
    "NormUniformity",
    "alignment_factors",
    "centering",
    "fisher_dense",
    "noise_covariances_dense",
    "norm_uniformity",
]
