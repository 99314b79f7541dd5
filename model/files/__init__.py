"""Reading user files: YAML with line marks, and pydantic errors as located problems."""

from __future__ import annotations

from cpsim.model.files.kinds import Kind, file_kind, kind_of
from cpsim.model.files.pydantic_errors import Detail, ErrorFormat, Wording
from cpsim.model.files.where import where
from cpsim.model.files.yaml import Loc, Locator, PlainDoc, YamlDoc, read_yaml

__all__ = [
    "Detail",
    "ErrorFormat",
    "Kind",
    "file_kind",
    "kind_of",
    "Loc",
    "Locator",
    "PlainDoc",
    "Wording",
    "YamlDoc",
    "read_yaml",
    "where",
]
