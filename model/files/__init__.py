"""Reading user files: YAML with line marks, and pydantic errors as located problems."""

from __future__ import annotations

from cpsim.model.files.where import where
from cpsim.model.files.yaml import read_yaml

__all__ = ["read_yaml", "where"]
