"""Errors that say the fix: a time written as words, a false cascade, repeated errors, through the real CLI.

Each test runs ``cpsim validate`` (or ``cpsim simulate``) as a user would and checks the whole line
printed at FILE:LINE:COL and the exit code.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MALFORMED = ROOT / "tests" / "malformed"
PROCEDURE = (MALFORMED / "07-non-numeric-deadline.yaml").read_text(encoding="utf-8").split("# expect")[0]
BASELINE = (ROOT / "scenarios" / "redcar-baseline.yaml").read_text(encoding="utf-8")
GOOD_DEADLINE = """    deadline:
      amount: three
      unit: working-days
      source: {doc: 003_16d9b606cf9f47aa.txt, ref: "3.3", quote: "respond to the Conference Chair within one day"}
"""


def cpsim(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user does."""
    return subprocess.run([sys.executable, "-m", "cpsim", *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


def _procedure(tmp_path: Path, deadline: str, within: str = "{amount: 5, unit: working-days}") -> Path:
    text = PROCEDURE.replace(GOOD_DEADLINE, deadline).replace("{amount: 5, unit: working-days}", within)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _lines(err: str) -> list[str]:
    return [x for x in err.splitlines() if x and not x.endswith(("problem", "problems"))]


def test_a_deadline_in_days_says_how_to_write_it_and_that_days_are_ambiguous(tmp_path: Path) -> None:
    path = _procedure(tmp_path, "    deadline: 3 days\n")
    run = cpsim("validate", str(path))
    assert run.returncode == 1
    assert _lines(run.stderr) == [
        f"{path}:29:15: stage 'level1', deadline must be a mapping, not the text '3 days' "
        "(write deadline: {amount: 3, unit: working-days, source: {doc: …, ref: …, quote: …}}, "
        "or unit: calendar-days if the source means calendar days; "
        "'days' can be read either way, so add as_written: '3 days', ambiguous: true and reading: why)"
    ]
    assert "Traceback" not in run.stderr


def test_an_unambiguous_phrase_gets_exactly_the_mapping_to_write(tmp_path: Path) -> None:
    path = _procedure(tmp_path, "    deadline: within two working days\n", within="5 working days")
    run = cpsim("validate", str(path))
    assert run.returncode == 1
    assert _lines(run.stderr) == [
        f"{path}:29:15: stage 'level1', deadline must be a mapping, not the text 'within two working days' "
        "(write deadline: {amount: 2, unit: working-days, source: {doc: …, ref: …, quote: …}})",
        f"{path}:49:13: target 'five-days', within must be a mapping, not the text '5 working days' "
        "(write within: {amount: 5, unit: working-days})",
    ]


def test_a_phrase_cpsim_cannot_read_gets_an_example_and_the_units(tmp_path: Path) -> None:
    path = _procedure(
        tmp_path,
        "    deadline: {amount: 1, unit: working-days, source: {doc: 003_16d9b606cf9f47aa.txt,"
        ' ref: "3.3", quote: "respond to the Conference Chair within one day"}}\n',
        within="soon",
    )
    run = cpsim("validate", str(path))
    assert run.returncode == 1
    assert _lines(run.stderr) == [
        f"{path}:49:13: target 'five-days', within must be a mapping, not the text 'soon' "
        "(write it like within: {amount: 3, unit: working-days}; units: working-days, working-hours, "
        "calendar-days, hours, weeks, months, same-day, immediately)"
    ]


def _scenario(tmp_path: Path, *, one_route: bool) -> Path:
    text = BASELINE.replace("reply_time: {dist: lognormal, mean: 0.8, sd: 0.6}", "reply_time: 2 days", 1)
    text = text.replace("procedure: redcar-internal\n", f"procedure: {ROOT}/model/procedures/redcar-internal.yaml\n")
    text = text.replace("procedure: redcar-external\n", f"procedure: {ROOT}/model/procedures/redcar-external.yaml\n")
    if one_route:
        start = text.index("  - procedure: ", text.index("share: 0.7"))
        text = text[:start] + text[text.index("calendar:") :]
        text = text.replace("share: 0.7", "share: 1")
        text = text[: text.index("  iro_team_manager:")] + text[text.index("replications:") :]
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_reply_time_in_words_says_how_to_write_a_distribution_and_nothing_else(tmp_path: Path) -> None:
    path = _scenario(tmp_path, one_route=True)
    expected = [
        f"{path}:30:23: procedures number 1, behaviour, stages, level1, reply_time must be a distribution of "
        "working days, not the text '2 days' (write reply_time: {dist: fixed, value: 2} for always 2 working "
        "days, or a spread such as {dist: triangular, low: 1, mode: 2, high: 4}; see docs/scenario-format.md)"
    ]
    for command in ("validate", "simulate"):
        run = cpsim(command, str(path), *(["--out", str(tmp_path / "out")] if command == "simulate" else []))
        assert run.returncode == 1, run.stderr
        assert _lines(run.stderr) == expected, command
        assert "must not be empty" not in run.stderr


def test_repeated_identical_problems_print_once_with_a_count_and_their_lines(tmp_path: Path) -> None:
    proc = ROOT / "model" / "procedures" / "redcar-internal.yaml"
    run = cpsim("validate", "--sources", str(tmp_path), str(proc))
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert len(lines) == 2, run.stderr
    assert lines[0].startswith(f"{proc}:29:19: source document '003_16d9b606cf9f47aa.txt' is not in {str(tmp_path)!r}")
    assert lines[0].endswith(
        "(check the file name) — and 46 more like it, at lines 34, 39, 47, 63, 67, 70, 85, 89, …"
    ), lines[0]
    assert lines[1].endswith("redcar-internal.yaml: 47 problems")


def test_every_command_prints_a_repeated_problem_once(tmp_path: Path) -> None:
    text = (
        (ROOT / "tests" / "data" / "minimal.yaml")
        .read_text(encoding="utf-8")
        .replace("owner: chair\n", "owner: chiar\n")
    )
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    for command in ("show", "verify", "validate"):
        run = cpsim(command, str(path))
        assert run.returncode == 1, command
        assert run.stderr.splitlines()[0] == (
            f"{path}:23:12: unknown role 'chiar' (did you mean 'chair'?) — and 1 more like it, at line 28"
        ), command


SCENARIOS = sorted((MALFORMED / "scenarios").glob("*.yaml"))


def test_there_are_malformed_scenarios_each_listing_what_it_expects() -> None:
    assert SCENARIOS
    assert all("# expect: " in p.read_text(encoding="utf-8") for p in SCENARIOS)


def test_each_malformed_scenario_gets_exactly_its_expected_problems() -> None:
    for path in SCENARIOS:
        lines = path.read_text(encoding="utf-8").splitlines()
        expected = [x.removeprefix("# expect: ") for x in lines if x.startswith("# expect: ")]
        run = cpsim("validate", str(path.relative_to(ROOT)))
        assert run.returncode == 1, path.name
        got = [x.removeprefix(f"{path.relative_to(ROOT)}:") for x in _lines(run.stderr)]
        assert got == expected, path.name


def test_a_sources_folder_that_does_not_exist_is_said_once_for_all_files(tmp_path: Path) -> None:
    run = cpsim("validate", "--sources", str(tmp_path / "nowhere"), "model/procedures")
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"cpsim: sources folder {str(tmp_path / 'nowhere')!r} does not exist",
        "  pass the folder holding the source documents, e.g. --sources ../shared/seeds",
    ]
