"""``cpsim verify``: findings grouped by severity, a stable JSON shape, and exit codes 0, 1, 2 and 3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpsim.cli import main
from cpsim.model import PROCEDURES_DIR
from tests.strategies import make_data

INTERNAL = str(PROCEDURES_DIR / "redcar-internal.yaml")
KEYS = {"code", "severity", "procedure", "stages", "route", "message", "source"}


def run(capsys, *argv):
    code = main(["verify", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_procedure_without_violations_exits_0_with_findings_grouped_by_severity(capsys):
    code, out, _ = run(capsys, INTERNAL)
    assert code == 0
    assert out.index("Gaps in the source") < out.index("Warnings") < out.index("For information")
    assert "Violations" not in out
    assert "route: Level 1 — social worker / team manager (reply ≤ 1 WD) → Level 2" in out
    assert "source: 003_16d9b606cf9f47aa.txt §2.5:" in out


def test_a_target_the_deadlines_cannot_guarantee_exits_3(capsys):
    code, out, _ = run(capsys, "--target-days", "2", INTERNAL)
    assert code == 3
    # Level 1 and Level 2's deadlines alone take 3 working days, on the route that ends at Level 2 and
    # on the one that goes on to Level 3 (whose untimed escalations can only make it longer).
    assert "Violations (2):" in out and "[TARGET_EXCEEDED]" in out
    assert "can take 3 working days, 1 working day over" in out


def test_json_is_a_list_of_findings_with_the_documented_keys(capsys):
    code, out, _ = run(capsys, "--json", INTERNAL)
    data = json.loads(out)
    assert code == 0 and isinstance(data, list) and data
    for f in data:
        assert set(f) == KEYS
        assert f["procedure"] == "redcar-internal"
        assert isinstance(f["stages"], list) and isinstance(f["route"], list)
        assert f["source"] is None or set(f["source"]) == {"doc", "ref", "quote"}


def test_an_invalid_file_exits_1_naming_the_file(capsys, write):
    bad = write("bad.yaml", "id: x\n")
    code, _, err = run(capsys, str(bad))
    assert code == 1 and "bad.yaml" in err


def test_a_missing_file_exits_1(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "nope.yaml"))
    assert code == 1 and "nope.yaml" in err


def test_a_bad_target_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["verify", "--target-days", "-1", INTERNAL])
    assert info.value.code == 2


def test_a_dead_end_in_a_user_file_exits_3_with_the_route(capsys, write):
    data = make_data(
        [{"id": "raise", "kind": "start"}, {"id": "l1", "kind": "request"}, {"id": "done", "kind": "terminal"}],
        [("raise", "raised", "l1"), ("raise", "urgent", "done")],
    )
    path = write("dead.yaml", json.dumps(data))
    code, out, _ = run(capsys, str(path))
    assert code == 3
    assert "[DEAD_END]" in out and "route: Raise → L1 (reply ≤ 1 WD)" in out


def test_a_folder_verifies_every_procedure_in_it(capsys):
    code, out, _ = run(capsys, "--json", str(Path(INTERNAL).parent))
    ids = {f["procedure"] for f in json.loads(out)}
    assert {"redcar-internal", "redcar-external"} <= ids
    assert code in (0, 3)
