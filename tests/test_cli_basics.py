"""The command line: version, help with examples, catalogue, plain-English show, schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cpsim import __version__
from cpsim.cli import build_parser, main
from cpsim.model import load_procedure, shipped_procedure_paths
from cpsim.model.procedure.schema import SCHEMA_PATH, procedure_schema, schema_text

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"cpsim {__version__}"


@pytest.mark.parametrize("command", subcommands())
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "Example:" in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_list_json_is_the_documented_shape(capsys):
    assert main(["list", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert {e["id"] for e in entries} == {load_procedure(p).id for p in shipped_procedure_paths()}
    for e in entries:
        assert set(e) == {"id", "title", "authority", "version", "file", "stages", "targets"}
        assert all(set(t) == {"id", "title", "within"} for t in e["targets"])


def test_list_of_an_invalid_file_exits_1_naming_the_line(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.read_text().replace("    to: level1\n", "    to: levl1\n", 1))
    assert main(["list", str(bad)]) == 1
    assert f"{bad}:42:9: unknown stage 'levl1'" in capsys.readouterr().err


def test_show_calls_out_every_unspecified_item(capsys, shipped):
    proc = shipped["redcar-internal"]
    assert main(["show", str(Path("model/procedures/redcar-internal.yaml").resolve())]) == 0
    out = capsys.readouterr().out
    silences = sum(len(s.unspecified) for s in proc.stages) + sum(
        1 for s in proc.stages if s.deadline and not s.deadline.is_specified
    )
    assert out.count("UNSPECIFIED") == silences
    assert "Level 3 — assistant director" in out and "within 2 working days" in out


def test_show_json_gives_the_ladder(capsys):
    assert main(["show", "--json", str(MINIMAL)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ladder"] == [
        {"stage": "level1", "title": "Level 1", "responder": "Practitioner", "deadline": "within 1 working day"}
    ]


def test_shipped_json_schema_is_current():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), "regenerate: cpsim schema > " + str(SCHEMA_PATH)


def test_schema_describes_the_format():
    schema = procedure_schema()
    assert set(schema["required"]) >= {"id", "title", "authority", "stages", "transitions", "roles", "sources"}
    assert schema["properties"]["stages"]["items"]["$ref"].endswith("/Stage")
    assert schema["additionalProperties"] is False


def test_console_script_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "cpsim", "list"], capture_output=True, text=True, check=True)
    assert "redcar-internal" in out.stdout
