"""Reply-time distributions, in working days: strategy objects that sample and describe themselves.

Each is a frozen model tagged by ``dist`` (a file writes ``{dist: triangular, low: 0.5, mode: 1,
high: 3}``) and answers all the simulator, the exact and sensitivity analyses and the exports ask,
so none of them branches on a distribution's type: ``sampler()`` (the quantile function as a scalar
closure; the simulator inverts one uniform per time) and ``quantile(u)``; ``sample(rng, size)``
(independent draws through scipy); ``cdf(x)``, ``mean``, ``upper`` (``inf`` if unbounded);
``atoms`` (the ``(value, probability)`` pairs of a fixed or discrete one, None for a continuous one);
``mass_on(grid)`` (its mass on the points of a :class:`Grid`); ``scaled(factor)``. A new one is a
class here subclassing ``_Continuous`` (give ``_scipy``, ``sampler``, ``mean``, ``time_fields``) or
``_Atomic`` (give ``atoms``), added to :data:`Distribution`.

Examples
--------
>>> import numpy as np
>>> d = Discrete(values=(1, 2), probs=(0.25, 0.75))
>>> d.mean, float(d.cdf(1.5)), d.scaled(2).atoms, Fixed(value=2).sample(np.random.default_rng(0))
(1.75, 0.25, ((2.0, 0.25), (4.0, 0.75)), 2.0)
>>> round(Exponential(mean=2).quantile(0.5), 6)   # the median of an exponential with mean 2
1.386294
"""

from __future__ import annotations

import math
from abc import abstractmethod
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from statistics import NormalDist
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal, Self, TypedDict, cast, overload

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from cpsim.model.grid import FloatArray, Grid, mass_from_cdf

if TYPE_CHECKING:
    from scipy import stats

__all__ = [
    "Atoms",
    "Discrete",
    "Distribution",
    "Exponential",
    "Fixed",
    "FloatArray",
    "Gamma",
    "Grid",
    "Lognormal",
    "Sampler",
    "Triangular",
    "Uniform",
]

NonNeg = Annotated[float, Field(ge=0)]
Pos = Annotated[float, Field(gt=0)]
Sampler = Callable[[float], float]
"""A quantile function: a uniform ``u`` in [0, 1) to a time in working days."""
Atoms = tuple[tuple[float, float], ...]
"""Listed ``(value, probability)`` pairs of a fixed or discrete distribution (a probability may be 0)."""


class _Params(TypedDict, total=False):  # scipy's location, scale and the shape parameters used here
    loc: float
    scale: float
    c: float
    s: float
    a: float


class _Dist(BaseModel):
    """What every distribution answers; subclasses fill in the abstract methods."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)

    time_fields: ClassVar[tuple[str, ...]] = ()
    """Fields holding a time in working days (multiplied by :meth:`scaled`)."""

    @abstractmethod
    def sampler(self) -> Sampler:
        """The quantile function, as a closure with its parameters worked out once."""

    @abstractmethod
    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | FloatArray:
        """Draw from the distribution with ``rng`` (a float, or an array when ``size`` is given)."""

    @abstractmethod
    def _cdf_array(self, xs: FloatArray) -> FloatArray:
        """P(time <= x) for each element of ``xs``."""

    @property
    @abstractmethod
    def mean(self) -> float:
        """Expected value in working days."""

    @property
    @abstractmethod
    def upper(self) -> float:
        """The largest value the distribution can take (``inf`` when unbounded)."""

    @abstractmethod
    def mass_on(self, grid: Grid, *, upto: float | None = None) -> FloatArray:
        """Probability mass on each point of ``grid`` from values ``<= upto`` (all values when None).

        The result has at most ``grid.size`` entries; mass placed beyond the horizon is dropped.
        """

    @property
    def atoms(self) -> Atoms | None:
        """The ``(value, probability)`` pairs of a fixed or discrete distribution; None when continuous."""
        return None

    def quantile(self, u: float) -> float:
        """The time below which a share ``u`` of draws fall (the draw :meth:`sampler` makes from ``u``)."""
        return self.sampler()(u)

    @overload
    def cdf(self, x: float) -> float: ...
    @overload
    def cdf(self, x: FloatArray) -> FloatArray: ...
    def cdf(self, x: float | FloatArray) -> float | FloatArray:
        """P(reply time <= x), elementwise for an array."""
        xs = np.asarray(x, dtype=float)
        out = self._cdf_array(xs)
        return float(out) if xs.ndim == 0 else out

    def scaled(self, factor: float) -> Self:
        """A copy with every time multiplied by ``factor``."""
        return self.model_copy(update={name: getattr(self, name) * factor for name in self.time_fields})


class _Continuous(_Dist):
    """A distribution with a density, described by a scipy distribution and its parameters."""

    @abstractmethod
    def _scipy(self) -> tuple[str, _Params]:
        """The name of the same distribution in scipy.stats, and the keyword parameters that fix it."""

    def _frozen(self) -> tuple[stats.rv_continuous, _Params]:
        from scipy import stats  # here, so that loading a file does not load scipy

        name, kw = self._scipy()
        return cast("stats.rv_continuous", getattr(stats, name)), kw

    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | FloatArray:
        """Draw with scipy's generator for this distribution."""
        gen, kw = self._frozen()
        if size is None:
            return float(gen.rvs(random_state=rng, **kw))
        return np.asarray(gen.rvs(size=size, random_state=rng, **kw), dtype=float)

    def _cdf_array(self, xs: FloatArray) -> FloatArray:
        gen, kw = self._frozen()
        return np.asarray(gen.cdf(xs, **kw), dtype=float)

    @property
    def upper(self) -> float:
        """The top of the support (``inf`` when unbounded)."""
        gen, kw = self._frozen()
        return float(gen.support(**kw)[1])

    def mass_on(self, grid: Grid, *, upto: float | None = None) -> FloatArray:
        """The mass between neighbouring points on the lower or upper one (ValueError on an exact grid)."""
        return mass_from_cdf(self._cdf_array, grid, upto=upto)


class _Atomic(_Dist):
    """A distribution on finitely many values, described by its :attr:`atoms`."""

    @property
    @abstractmethod
    def atoms(self) -> Atoms:
        """The listed ``(value, probability)`` pairs."""

    def sampler(self) -> Sampler:
        """The value whose cumulative probability first exceeds ``u``."""
        values = [v for v, _ in self.atoms]
        cum = list(accumulate(p for _, p in self.atoms))
        last = len(values) - 1
        return lambda u: values[min(bisect_right(cum, u), last)]

    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | FloatArray:
        """Draw values with their probabilities."""
        values, probs = zip(*self.atoms, strict=True)
        out = rng.choice(np.asarray(values, dtype=float), size=size, p=np.asarray(probs))
        return float(out) if size is None else np.asarray(out, dtype=float)

    def _cdf_array(self, xs: FloatArray) -> FloatArray:
        v = np.asarray([v for v, _ in self.atoms], dtype=float)
        p = np.asarray([p for _, p in self.atoms], dtype=float)
        res = (p[None, :] * (v[None, :] <= xs.reshape(-1, 1))).sum(axis=1)
        return np.asarray(res.reshape(xs.shape), dtype=float)

    @property
    def mean(self) -> float:
        """Probability-weighted mean of the values."""
        return float(np.dot([v for v, _ in self.atoms], [p for _, p in self.atoms]))

    @property
    def upper(self) -> float:
        """The largest value with positive probability."""
        return max(v for v, p in self.atoms if p > 0)

    def mass_on(self, grid: Grid, *, upto: float | None = None) -> FloatArray:
        """Each value's probability on the point ``grid.index`` gives it."""
        out = np.zeros(grid.size)
        for v, p in self.atoms:
            i = grid.index(v)
            if p > 0 and (upto is None or v <= upto) and i < grid.size:
                out[i] += p
        return out


class Fixed(_Atomic):
    """Always the same value."""

    dist: Literal["fixed"] = "fixed"
    value: NonNeg
    time_fields: ClassVar[tuple[str, ...]] = ("value",)

    @property
    def atoms(self) -> Atoms:
        """The value, with probability 1."""
        return ((float(self.value), 1.0),)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | FloatArray:
        """Return ``value`` (no randomness is consumed)."""
        return float(self.value) if size is None else np.full(size, float(self.value))


class Uniform(_Continuous):
    """Uniform between ``low`` and ``high``."""

    dist: Literal["uniform"] = "uniform"
    low: NonNeg
    high: NonNeg
    time_fields: ClassVar[tuple[str, ...]] = ("low", "high")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high <= self.low:
            raise ValueError("high must be greater than low")
        return self

    def _scipy(self) -> tuple[str, _Params]:
        return "uniform", {"loc": self.low, "scale": self.high - self.low}

    @property
    def mean(self) -> float:
        """``(low + high) / 2``."""
        return (self.low + self.high) / 2

    def sampler(self) -> Sampler:
        """``low + u (high - low)``."""
        lo, width = float(self.low), float(self.high - self.low)
        return lambda u: lo + u * width


class Triangular(_Continuous):
    """Triangular with ``low`` <= ``mode`` <= ``high``."""

    dist: Literal["triangular"] = "triangular"
    low: NonNeg
    mode: NonNeg
    high: NonNeg
    time_fields: ClassVar[tuple[str, ...]] = ("low", "mode", "high")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not (self.low <= self.mode <= self.high) or self.high == self.low:
            raise ValueError("need low <= mode <= high and low < high")
        return self

    def _scipy(self) -> tuple[str, _Params]:
        width = self.high - self.low
        return "triang", {"c": (self.mode - self.low) / width, "loc": self.low, "scale": width}

    @property
    def mean(self) -> float:
        """``(low + mode + high) / 3``."""
        return (self.low + self.mode + self.high) / 3

    def sampler(self) -> Sampler:
        """The inverse of the piecewise-quadratic distribution function."""
        a, c, b = float(self.low), float(self.mode), float(self.high)
        cut = (c - a) / (b - a)
        return lambda u: a + math.sqrt(u * (b - a) * (c - a)) if u < cut else b - math.sqrt((1 - u) * (b - a) * (b - c))


class Exponential(_Continuous):
    """Exponential with the given ``mean``."""

    dist: Literal["exponential"] = "exponential"
    mean_days: Pos = Field(alias="mean")
    time_fields: ClassVar[tuple[str, ...]] = ("mean_days",)

    def _scipy(self) -> tuple[str, _Params]:
        return "expon", {"scale": self.mean_days}

    @property
    def mean(self) -> float:
        """The ``mean`` given."""
        return float(self.mean_days)

    def sampler(self) -> Sampler:
        """``-mean log(1 - u)``."""
        mean = float(self.mean_days)
        return lambda u: -mean * math.log1p(-u)


class Lognormal(_Continuous):
    """Lognormal given by its ``mean`` and standard deviation ``sd`` (of the time itself, not its log)."""

    dist: Literal["lognormal"] = "lognormal"
    mean_days: Pos = Field(alias="mean")
    sd: Pos
    time_fields: ClassVar[tuple[str, ...]] = ("mean_days", "sd")

    def _log_params(self) -> tuple[float, float]:
        """``(mu, sigma)``: the mean and standard deviation of the log of the time."""
        sigma = math.sqrt(math.log(1 + (self.sd / self.mean_days) ** 2))
        return math.log(self.mean_days) - sigma**2 / 2, sigma

    def _scipy(self) -> tuple[str, _Params]:
        mu, sigma = self._log_params()
        return "lognorm", {"s": sigma, "scale": math.exp(mu)}

    @property
    def mean(self) -> float:
        """The ``mean`` given."""
        return float(self.mean_days)

    def sampler(self) -> Sampler:
        """``exp(mu + sigma z)`` with ``z`` the standard normal quantile of ``u``."""
        mu, sigma = self._log_params()
        inv = NormalDist().inv_cdf
        return lambda u: math.exp(mu + sigma * inv(max(u, 1e-300)))


class Gamma(_Continuous):
    """Gamma with ``shape`` and ``scale`` (mean = shape x scale)."""

    dist: Literal["gamma"] = "gamma"
    shape: Pos
    scale: Pos
    time_fields: ClassVar[tuple[str, ...]] = ("scale",)

    def _scipy(self) -> tuple[str, _Params]:
        return "gamma", {"a": self.shape, "scale": self.scale}

    @property
    def mean(self) -> float:
        """``shape x scale``."""
        return self.shape * self.scale

    def sampler(self) -> Sampler:
        """``scale`` times the inverse regularised incomplete gamma function of ``u``."""
        shape, scale = float(self.shape), float(self.scale)
        from scipy import special

        return lambda u: float(special.gammaincinv(shape, u)) * scale


class Discrete(_Atomic):
    """Finitely many ``values`` with probabilities ``probs`` (summing to 1)."""

    dist: Literal["discrete"] = "discrete"
    values: tuple[NonNeg, ...] = Field(min_length=1)
    probs: tuple[NonNeg, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Discrete:
        if len(self.values) != len(self.probs):
            raise ValueError("values and probs must have the same length")
        if abs(sum(self.probs) - 1) > 1e-9:
            raise ValueError(f"probs must sum to 1 (they sum to {sum(self.probs):g})")
        return self

    @property
    def atoms(self) -> Atoms:
        """The values with their probabilities, as listed."""
        return tuple((float(v), float(p)) for v, p in zip(self.values, self.probs, strict=True))

    def scaled(self, factor: float) -> Self:
        """A copy with every value multiplied by ``factor``."""
        return self.model_copy(update={"values": tuple(v * factor for v in self.values)})


Distribution = Annotated[
    Fixed | Uniform | Triangular | Exponential | Lognormal | Gamma | Discrete,
    Field(discriminator="dist"),
]
"""Any reply-time distribution, chosen in files by its ``dist`` key."""
