r"""Models with exact derivatives: predictions, Jacobians, Hessians, Fisher and noise covariances.

Square-loss models (:class:`Model`): :class:`LinearRegression`,
:class:`DiagonalLinearNetwork`, :class:`DeepLinearNetwork` (over-parameterised linear
models with Gaussian-input population closed forms), :class:`RandomFeatureModel` and
:class:`TwoLayerNetwork`.  Classifiers (:class:`Classifier`, log-loss):
:class:`LogisticRegression`, :class:`SoftmaxRegression`.  Bundle a model with data and
a point in :class:`SquareLossProblem` / :class:`CrossEntropyProblem` to get losses,
gradients, exact Hessians, Fisher matrices and SGD noise covariances.

Imports only numpy and scipy.
"""

from verifythm.models.activations import (
    ACTIVATIONS,
    Activation,
    get_activation,
    leaky_relu,
    relu,
    smooth_leaky,
    softplus,
    tanh,
)
from verifythm.models.base import Model
from verifythm.models.classification import Classifier, LogisticRegression, SoftmaxRegression
from verifythm.models.features import RandomFeatureModel, TwoLayerNetwork, relu_kernel, sample_sphere
from verifythm.models.linear import (
    DIAGONAL_PARAMETRIZATIONS,
    DeepLinearNetwork,
    DiagonalLinearNetwork,
    LinearRegression,
    OverparameterizedLinearModel,
    PopulationQuantities,
)
from verifythm.models.problems import CrossEntropyProblem, Problem, SquareLossProblem

__all__ = [
    "ACTIVATIONS",
    "DIAGONAL_PARAMETRIZATIONS",
    "Activation",
    "Classifier",
    "CrossEntropyProblem",
    "DeepLinearNetwork",
    "DiagonalLinearNetwork",
    "LinearRegression",
    "LogisticRegression",
    "Model",
    "OverparameterizedLinearModel",
    "PopulationQuantities",
    "Problem",
    "RandomFeatureModel",
    "SoftmaxRegression",
    "SquareLossProblem",
    "TwoLayerNetwork",
    "get_activation",
    "leaky_relu",
    "relu",
    "relu_kernel",
    "sample_sphere",
    "smooth_leaky",
    "softplus",
    "tanh",
]
