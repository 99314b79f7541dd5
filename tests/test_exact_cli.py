"""cpsim analyse and cpsim export: output, JSON, located errors, no overwriting."""

from __future__ import annotations

import json

from cpsim.cli import main
from cpsim.model.scenario.classes import shipped_scenario_paths

EXTERNAL = "model/procedures/redcar-external.yaml"
BEHAVIOUR = """
stages:
  level1: {reply_time: {dist: discrete, values: [1, 2], probs: [0.5, 0.5]}, p_satisfied: 0.5}
  level2: {reply_time: {dist: fixed, value: 2}}
"""


def test_analyse_procedure_with_behaviour_prints_json_with_exact_probabilities(write, capsys):
    beh = write("beh.yaml", BEHAVIOUR)
    assert main(["analyse", "--procedure", EXTERNAL, "--behaviour", str(beh), "--json", "--no-sensitivity"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out[0]["procedure"] == "redcar-external" and out[0]["method"] == "exact"
    assert out[0]["targets"][0]["p_within"] == 1.0


def test_analyse_scenario_prints_each_procedure_in_words(capsys):
    path = next(p for p in shipped_scenario_paths() if p.stem == "redcar-baseline")
    assert main(["analyse", str(path), "--no-sensitivity"]) == 0
    out = capsys.readouterr().out
    assert "redcar-internal" in out and "target Resolved within five working days: met" in out


def test_bad_behaviour_file_is_reported_with_file_line_and_column(write, capsys):
    beh = write("beh.yaml", "stages:\n  level1:\n    p_satisfied: 2\n")
    assert main(["analyse", "--procedure", EXTERNAL, "--behaviour", str(beh)]) == 1
    err = capsys.readouterr().err
    assert f"{beh}:3:18" in err and "Traceback" not in err


def test_export_prism_writes_a_file_and_refuses_to_overwrite_it(write, tmp_path, capsys):
    beh = write("beh.yaml", BEHAVIOUR)
    out = tmp_path / "m.prism"
    assert main(["export", "--prism", "-o", str(out), EXTERNAL, "--behaviour", str(beh)]) == 0
    assert out.read_text().startswith("dtmc")
    assert main(["export", "--prism", "-o", str(out), EXTERNAL, "--behaviour", str(beh)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["export", "--pnml", "-o", str(out), "--force", EXTERNAL]) == 0
    assert "<pnml>" in out.read_text()
