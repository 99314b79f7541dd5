"""A value of the wrong shape where an id, a list or an outcome belongs is reported, never a crash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cpsim.model import check_procedure_file

INTERNAL = (Path(__file__).resolve().parent.parent / "model" / "procedures" / "redcar-internal.yaml").read_text(
    encoding="utf-8"
)
Write = Callable[[str, str], Path]

CASES = {
    "records-is-a-number": ("    records:\n", "    records: 3\n    xrecords:\n", "records must be a list, got int"),
    "from-is-a-list": ("    from: level1\n", "    from: [level1]\n", "from must be text, got ['level1']"),
    "from-is-a-mapping": ("    from: level1\n", "    from: {a: 1}\n", "from must be text, got {'a': 1}"),
    "stage-id-is-a-list": ("  - id: level1\n", "  - id: [level1]\n", "id must be text, got ['level1']"),
    "outcome-is-a-number": (
        "outcomes: [to-service-manager, to-assistant-director]",
        "outcomes: [0.5, to-assistant-director]",
        "outcomes number 1 must be text, got 0.5",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_wrongly_shaped_value_is_a_located_problem(case: str, write: Write) -> None:
    old, new, expected = CASES[case]
    assert old in INTERNAL
    problems = check_procedure_file(write("p.yaml", INTERNAL.replace(old, new, 1)))
    assert any(expected in p.message for p in problems), [str(p) for p in problems]
