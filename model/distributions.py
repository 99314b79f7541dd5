"""Reply-time distributions, in working days: small strategy objects that sample and describe themselves.

Each distribution is a frozen model tagged by ``dist`` so scenario files can write, for example,
``{dist: triangular, low: 0.5, mode: 1, high: 3}``. Every one has ``sample(rng, size)``,
``cdf(x)``, ``mean`` and ``upper`` (the largest value it can take, ``inf`` if unbounded).

Examples
--------
>>> import numpy as np
>>> d = Discrete(values=(1, 2), probs=(0.25, 0.75))
>>> d.mean
1.75
>>> float(d.cdf(1.5))
0.25
>>> Fixed(value=2).sample(np.random.default_rng(0))
2.0
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy import stats

__all__ = [
    "Discrete",
    "Distribution",
    "Exponential",
    "Fixed",
    "Gamma",
    "Lognormal",
    "Triangular",
    "Uniform",
]

NonNeg = Annotated[float, Field(ge=0)]
Pos = Annotated[float, Field(gt=0)]


class _Dist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def _frozen(self) -> stats.rv_continuous | stats.rv_discrete:
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | np.ndarray:
        """Draw from the distribution with ``rng`` (a float, or an array when ``size`` is given)."""
        out = self._frozen().rvs(size=size, random_state=rng)
        return float(out) if size is None else np.asarray(out, dtype=float)

    def cdf(self, x: float | np.ndarray) -> float | np.ndarray:
        """P(reply time <= x)."""
        return self._frozen().cdf(x)

    @property
    def mean(self) -> float:
        """Expected value in working days."""
        return float(self._frozen().mean())

    @property
    def upper(self) -> float:
        """The largest value the distribution can take (``inf`` when unbounded)."""
        return float(self._frozen().support()[1])


class Fixed(_Dist):
    """Always the same value."""

    dist: Literal["fixed"] = "fixed"
    value: NonNeg

    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | np.ndarray:
        """Return ``value`` (no randomness is consumed)."""
        return float(self.value) if size is None else np.full(size, float(self.value))

    def cdf(self, x: float | np.ndarray) -> float | np.ndarray:
        """1 from ``value`` on, else 0."""
        return np.where(np.asarray(x) >= self.value, 1.0, 0.0) if np.ndim(x) else float(x >= self.value)

    @property
    def mean(self) -> float:
        """The value itself."""
        return float(self.value)

    @property
    def upper(self) -> float:
        """The value itself."""
        return float(self.value)


class Uniform(_Dist):
    """Uniform between ``low`` and ``high``."""

    dist: Literal["uniform"] = "uniform"
    low: NonNeg
    high: NonNeg

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high <= self.low:
            raise ValueError("high must be greater than low")
        return self

    def _frozen(self) -> stats.rv_continuous:
        return stats.uniform(loc=self.low, scale=self.high - self.low)


class Triangular(_Dist):
    """Triangular with ``low`` <= ``mode`` <= ``high``."""

    dist: Literal["triangular"] = "triangular"
    low: NonNeg
    mode: NonNeg
    high: NonNeg

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not (self.low <= self.mode <= self.high) or self.high == self.low:
            raise ValueError("need low <= mode <= high and low < high")
        return self

    def _frozen(self) -> stats.rv_continuous:
        width = self.high - self.low
        return stats.triang(c=(self.mode - self.low) / width, loc=self.low, scale=width)


class Exponential(_Dist):
    """Exponential with the given ``mean``."""

    dist: Literal["exponential"] = "exponential"
    mean_days: Pos = Field(alias="mean")
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def _frozen(self) -> stats.rv_continuous:
        return stats.expon(scale=self.mean_days)


class Lognormal(_Dist):
    """Lognormal given by its ``mean`` and standard deviation ``sd`` (of the time itself, not its log)."""

    dist: Literal["lognormal"] = "lognormal"
    mean_days: Pos = Field(alias="mean")
    sd: Pos
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def _frozen(self) -> stats.rv_continuous:
        sigma2 = math.log(1 + (self.sd / self.mean_days) ** 2)
        mu = math.log(self.mean_days) - sigma2 / 2
        return stats.lognorm(s=math.sqrt(sigma2), scale=math.exp(mu))


class Gamma(_Dist):
    """Gamma with ``shape`` and ``scale`` (mean = shape x scale)."""

    dist: Literal["gamma"] = "gamma"
    shape: Pos
    scale: Pos

    def _frozen(self) -> stats.rv_continuous:
        return stats.gamma(a=self.shape, scale=self.scale)


class Discrete(_Dist):
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

    def sample(self, rng: np.random.Generator, size: int | None = None) -> float | np.ndarray:
        """Draw values with their probabilities."""
        out = rng.choice(np.asarray(self.values, dtype=float), size=size, p=np.asarray(self.probs))
        return float(out) if size is None else out

    def cdf(self, x: float | np.ndarray) -> float | np.ndarray:
        """Total probability of values <= x."""
        v, p = np.asarray(self.values, dtype=float), np.asarray(self.probs)
        xs = np.asarray(x, dtype=float)
        res = (p[None, :] * (v[None, :] <= xs.reshape(-1, 1))).sum(axis=1)
        return res.reshape(xs.shape) if xs.ndim else float(res[0])

    @property
    def mean(self) -> float:
        """Probability-weighted mean of the values."""
        return float(np.dot(self.values, self.probs))

    @property
    def upper(self) -> float:
        """The largest value with positive probability."""
        return float(max(v for v, p in zip(self.values, self.probs, strict=True) if p > 0))


Distribution = Annotated[
    Fixed | Uniform | Triangular | Exponential | Lognormal | Gamma | Discrete,
    Field(discriminator="dist"),
]
"""Any reply-time distribution, chosen in files by its ``dist`` key."""
