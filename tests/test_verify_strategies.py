"""The random procedure generator yields files the loader accepts."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings

from tests.strategies import procedure_data, via_loader


@settings(max_examples=40, deadline=None)
@given(procedure_data())
def test_generated_procedures_pass_every_loader_check(data):
    with tempfile.TemporaryDirectory() as folder:
        proc = via_loader(data, Path(folder))
    assert proc.start.id == "raise"
