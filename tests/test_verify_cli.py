"""``cpsim verify``: counts per procedure first, every route with --verbose, a stable JSON shape, exit codes 0-3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpsim.cli import main
from cpsim.model import PROCEDURES_DIR, load_procedure
from cpsim.verify import SEVERITIES
from tests.strategies import make_data

INTERNAL = str(PROCEDURES_DIR / "redcar-internal.yaml")
KEYS = {"code", "severity", "procedure", "stages", "route", "message", "source"}


def run(capsys, *argv):
    code = main(["verify", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_verbose_groups_a_procedure_without_violations_by_severity_and_exits_0(capsys):
    code, out, _ = run(capsys, "--verbose", INTERNAL)
    assert code == 0
    assert out.index("Gaps in the source") < out.index("Warnings") < out.index("For information")
    assert "Violations" not in out
    assert "route: Level 1 — social worker / team manager (reply within 1 working day) → Level 2" in out
    assert "source: 003_16d9b606cf9f47aa.txt §2.5:" in out


def test_a_target_the_deadlines_cannot_guarantee_exits_3(capsys):
    code, out, _ = run(capsys, "--verbose", "--target-days", "2", INTERNAL)
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
    code, out, _ = run(capsys, "--verbose", str(path))
    assert code == 3
    assert "[DEAD_END]" in out and "route: Raise → L1 (reply within 1 working day)" in out


def test_a_folder_verifies_every_procedure_in_it(capsys):
    code, out, _ = run(capsys, "--json", str(Path(INTERNAL).parent))
    ids = {f["procedure"] for f in json.loads(out)}
    assert {"redcar-internal", "redcar-external"} <= ids
    assert code in (0, 3)


def _json_counts(capsys, *argv):
    code, out, _ = run(capsys, "--json", *argv)
    counts: dict[str, dict[str, int]] = {}
    for f in json.loads(out):
        per = counts.setdefault(f["procedure"], dict.fromkeys(SEVERITIES, 0))
        per[f["severity"]] += 1
    return code, counts


def _said(counts):
    return ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items())


def test_the_default_output_has_one_line_per_procedure_with_the_json_counts(capsys):
    json_code, counts = _json_counts(capsys, str(PROCEDURES_DIR))
    code, out, _ = run(capsys, str(PROCEDURES_DIR))
    assert code == json_code == 0  # the shipped loops are the sources' gaps (repeats_unspecified)
    headings = [line for line in out.splitlines() if ".yaml): " in line and not line.startswith(" ")]
    assert len(headings) == len(counts) == len(list(PROCEDURES_DIR.glob("*.yaml")))
    for path in sorted(PROCEDURES_DIR.glob("*.yaml")):
        proc = load_procedure(path)
        mine = [h for h in headings if f"({path}): " in h]
        assert mine == [f"{proc.title} — {proc.authority} ({path}): {_said(counts[proc.id])}"]
    total = {s: sum(c[s] for c in counts.values()) for s in SEVERITIES}
    assert out.splitlines()[0] == f"{len(counts)} procedures verified: {_said(total)}"


def test_the_default_output_lists_violations_and_warnings_one_line_each_without_routes(capsys):
    code, out, _ = run(capsys, str(PROCEDURES_DIR))
    assert code == 0 and "route:" not in out and "[UNBOUNDED_LOOP]" not in out
    lines = out.splitlines()
    assert len(lines) < 60
    said = [line for line in lines if line.startswith(("  violation: ", "  warning: "))]
    assert sum(line.startswith("  violation: ") for line in said) == 0
    assert (
        "  warning: For the reply deadline at Level 1 — practitioner the source says “within one day”, "
        "which can be read more than one way. (section 3.3)" in said
    )
    assert not any(line.endswith("(section “Quoracy”)") for line in said)  # a gap now: counted, not listed
    assert "--verbose" in lines[-2]


def test_verbose_shows_every_finding_with_its_route(capsys):
    _, found, _ = run(capsys, "--json", str(PROCEDURES_DIR))
    findings = json.loads(found)
    code, out, _ = run(capsys, "--verbose", str(PROCEDURES_DIR))
    assert code == 0
    assert sum(line.startswith("  [") for line in out.splitlines()) == len(findings)
    assert out.count("      route: ") == sum(bool(f["route"]) for f in findings)


def test_a_clean_procedure_exits_0_in_the_short_form_too(capsys):
    code, out, _ = run(capsys, INTERNAL)
    assert code == 0 and out.startswith("1 procedure verified: 0 violations, 15 gaps, 3 warnings, 8 info\n")


def test_the_short_form_lists_violations_before_warnings(capsys):
    code, out, _ = run(capsys, "--target-days", "2", INTERNAL)
    said = [line.split(":")[0].strip() for line in out.splitlines() if line.startswith("  ")]
    assert code == 3 and said == ["violation"] * 2 + ["warning"] * 4
