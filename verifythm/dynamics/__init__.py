"""Linearized SGD at a minimum: sampling schemes, exact moment engine, Monte Carlo simulator."""

from verifythm.dynamics.family import Family, as_family
from verifythm.dynamics.moments import (
    MomentOperator,
    MomentTrajectory,
    NoiseModel,
    check_learning_rate,
    moment_operator,
    moment_trajectory,
)
from verifythm.dynamics.sampling import (
    SCHEMES,
    Sampling,
    batch_distribution,
    check_batch_size,
    noise_constant,
    parse_sampling,
    subtracts_mean,
)
from verifythm.dynamics.simulate import (
    ProtocolResult,
    SimulationResult,
    batch_weights,
    dexter_protocol,
    simulate,
    simulate_products,
)
from verifythm.dynamics.stability import (
    CriticalLR,
    SpectralRadius,
    StabilityVerdict,
    critical_learning_rate,
    critical_learning_rates,
    gd_threshold,
    spectral_radius,
    stability,
)

__all__ = [
    "SCHEMES",
    "CriticalLR",
    "Family",
    "MomentOperator",
    "MomentTrajectory",
    "NoiseModel",
    "ProtocolResult",
    "Sampling",
    "SimulationResult",
    "SpectralRadius",
    "StabilityVerdict",
    "as_family",
    "batch_distribution",
    "batch_weights",
    "check_batch_size",
    "check_learning_rate",
    "critical_learning_rate",
    "critical_learning_rates",
    "dexter_protocol",
    "gd_threshold",
    "moment_operator",
    "moment_trajectory",
    "noise_constant",
    "parse_sampling",
    "simulate",
    "simulate_products",
    "spectral_radius",
    "stability",
    "subtracts_mean",
]
