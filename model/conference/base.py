"""The base of the conference scenario format's classes: frozen, no unknown keys, keys by alias or name.

>>> class Example(Frozen):
...     a: int
>>> Example(a=1).a
1
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Frozen"]


class Frozen(BaseModel):
    """A part of a conference scenario file: frozen, and refusing keys it does not know."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
