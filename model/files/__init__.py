"""Reading user files: YAML with line marks, and pydantic errors as located problems."""

from __future__ import annotations

from model.files.where import where
from model.files.yaml import read_yaml

__all__ = ["read_yaml", "where"]
