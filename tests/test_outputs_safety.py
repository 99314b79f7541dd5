"""Nothing a user made is lost: cpsim replaces only files it wrote, checks -o before any work, uses the umask.

A file cpsim wrote is one listed, with its sha256, in the ``manifest.json`` of the folder it is in
(a run directory's manifest, or the one cpsim keeps in a sweep folder, a ``report --all`` folder and
the images folder beside a Markdown report). The file named by ``-o`` is the user's choice: with
--force it is replaced. Every refusal is one line on standard error and exit code 1.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsim.cli import main
from cpsim.model.errors import CpsimError
from cpsim.reports.documents import build
from cpsim.reports.rundir.write import check_output_dir

ROOT = Path(__file__).resolve().parent.parent
PROC = str(ROOT / "model" / "procedures" / "redcar-internal.yaml")
SCEN = str(ROOT / "scenarios" / "redcar-baseline.yaml")
SIM = ["simulate", SCEN, "-n", "1", "--workers", "1", "--json"]
SWEEP = ["sweep", SCEN, "--vary", "staff.service_manager.headcount=1", "-n", "1", "--workers", "1", "--json"]
FLOWCHART_SVG = "flowchart-redcar-internal.svg"


@pytest.fixture
def one_of_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """``report --all`` covers one shipped procedure and one shipped scenario, so it runs in a second."""
    monkeypatch.setattr(build, "shipped_procedure_paths", lambda: [Path(PROC)])
    monkeypatch.setattr(build, "shipped_scenario_paths", lambda: [Path(SCEN)])


@pytest.fixture
def umask_027() -> Iterator[None]:
    """The process umask is 027 for the test (group may read, others nothing)."""
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def _no_work(*args: object, **kwargs: object) -> object:
    raise AssertionError("the work started before the output path was checked")


def refused(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    """The one-line error printed for a refusal (after any warnings), checked to mention each of ``words``."""
    lines = capsys.readouterr().err.splitlines()
    assert lines and all(line.startswith("cpsim: warning: ") for line in lines[:-1]), lines
    error = lines[-1]
    assert error.startswith("cpsim: ") and "Traceback" not in error, lines
    for word in words:
        assert word in error, error
    return error


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# 1. The images folder beside a Markdown report


def test_a_user_file_in_the_images_folder_of_a_markdown_report_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file of the user's where a Markdown report puts an image is refused, with or without --force."""
    mine = tmp_path / "r_files" / FLOWCHART_SVG
    mine.parent.mkdir()
    mine.write_text("my drawing")
    assert main(["report", PROC, "-o", str(tmp_path / "r.md")]) == 1
    refused(capsys, FLOWCHART_SVG, "--force")
    assert main(["report", PROC, "-o", str(tmp_path / "r.md"), "--force"]) == 1
    refused(capsys, FLOWCHART_SVG, "did not write")
    assert mine.read_text() == "my drawing" and not (tmp_path / "r.md").exists()


def test_force_replaces_the_images_cpsim_wrote_beside_a_markdown_report_and_keeps_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After cpsim wrote a Markdown report, --force rewrites it and its images; other files stay."""
    out = tmp_path / "r.md"
    assert main(["report", PROC, "-o", str(out)]) == 0
    notes = tmp_path / "r_files" / "notes.txt"
    notes.write_text("mine")
    assert main(["report", PROC, "-o", str(out)]) == 1
    refused(capsys, "--force")
    assert main(["report", PROC, "-o", str(out), "--force"]) == 0
    assert notes.read_text() == "mine" and (tmp_path / "r_files" / FLOWCHART_SVG).is_file()


# 2. report --all


def test_report_all_refuses_to_replace_user_files_when_there_is_no_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], one_of_each: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without index.html, a user's procedures/x.html and runs/x/mynotes.txt are kept; nothing is simulated."""
    page = tmp_path / "procedures" / "redcar-internal.html"
    notes = tmp_path / "runs" / "redcar-baseline" / "mynotes.txt"
    for path in (page, notes):
        path.parent.mkdir(parents=True)
        path.write_text("mine")
    monkeypatch.setattr(build, "run", _no_work)
    assert main(["report", "--all", "-o", str(tmp_path), "-n", "1", "--workers", "1"]) == 1
    refused(capsys, "redcar-internal.html")
    assert main(["report", "--all", "-o", str(tmp_path), "-n", "1", "--workers", "1", "--force"]) == 1
    refused(capsys, "did not write")
    assert page.read_text() == "mine" and notes.read_text() == "mine"
    assert sorted(p.name for p in notes.parent.iterdir()) == ["mynotes.txt"]


def test_report_all_with_force_replaces_its_own_reports_and_keeps_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], one_of_each: None
) -> None:
    """A second --all --force rewrites what the first wrote; a user's file in the folder stays."""
    args = ["report", "--all", "-o", str(tmp_path / "out"), "-n", "1", "--workers", "1"]
    assert main(args) == 0
    notes = tmp_path / "out" / "procedures" / "notes.txt"
    notes.write_text("mine")
    assert main(args) == 1
    refused(capsys, "index.html", "--force")
    assert main([*args, "--force"]) == 0
    assert notes.read_text() == "mine" and (tmp_path / "out" / "runs" / "redcar-baseline" / "summary.json").is_file()


# 3. simulate -o DIR --force replaces only what cpsim wrote


def test_force_refuses_a_run_directory_holding_a_file_cpsim_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--force on a run directory with a user's file in it names the file and keeps everything."""
    out = tmp_path / "run"
    assert main([*SIM, "-o", str(out)]) == 0
    capsys.readouterr()
    (out / "mynotes.txt").write_text("keep me")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main([*SIM, "-o", str(out), "--force"]) == 1
    refused(capsys, "mynotes.txt", "did not write")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_force_refuses_a_changed_run_directory_and_a_folder_with_no_cpsim_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file cpsim wrote that the user then edited is the user's now; a folder cpsim never wrote is never replaced."""
    out, mine = tmp_path / "run", tmp_path / "mine"
    assert main([*SIM, "-o", str(out)]) == 0
    (out / "summary.json").write_text("{}\n")
    mine.mkdir()
    (mine / "manifest.json").write_text('{"mine": true}\n')
    for folder, name in ((out, "summary.json"), (mine, "manifest.json")):
        assert main([*SIM, "-o", str(folder), "--force"]) == 1
        refused(capsys, name)
    assert (out / "summary.json").read_text() == "{}\n" and (mine / "manifest.json").read_text() == '{"mine": true}\n'


def test_force_replaces_a_run_directory_cpsim_wrote_and_lists_its_files_in_the_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The manifest lists every other file of the run with its sha256; --force replaces such a run."""
    out = tmp_path / "run"
    assert main([*SIM, "-o", str(out)]) == 0
    files = json.loads((out / "manifest.json").read_text())["written"]
    assert sorted(files) == ["cases.csv", "events.csv", "events.xes", "staff.csv", "summary.json"]
    old = tmp_path / ".run.old"
    old.mkdir()
    (old / "mine.txt").write_text("mine")
    assert main([*SIM, "-o", str(out), "--force", "--seed", "9"]) == 0
    assert json.loads((out / "manifest.json").read_text())["seed"] == 9
    assert (old / "mine.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".run.old", "run"]


# 4. The output path is checked before any work; symbolic links are refused


@pytest.mark.parametrize("force", [False, True])
def test_check_output_dir_refuses_a_symbolic_link(tmp_path: Path, force: bool) -> None:
    """A dangling link, or a link to a folder, given as the output folder is refused, naming what it points to."""
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    linked = tmp_path / "linked"
    (tmp_path / "real").mkdir()
    linked.symlink_to(tmp_path / "real")
    for link in (dangling, linked):
        with pytest.raises(CpsimError, match="symbolic link"):
            check_output_dir(link, force)


def test_check_output_dir_refuses_a_path_under_a_file(tmp_path: Path) -> None:
    """A folder that cannot be made because a file is in the way is refused up front."""
    (tmp_path / "file").write_text("x")
    with pytest.raises(CpsimError, match="not a folder"):
        check_output_dir(tmp_path / "file" / "run", False)
    with pytest.raises(CpsimError, match="not a folder"):
        check_output_dir(tmp_path / "file", True)


def test_simulate_checks_a_dangling_link_before_simulating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """simulate -o DANGLING_LINK is refused before a single replication runs."""
    import cpsim.commands.simulate as simulate

    link = tmp_path / "run"
    link.symlink_to(tmp_path / "nowhere")
    monkeypatch.setattr(simulate, "run_scenario", _no_work)
    assert main([*SIM, "-o", str(link)]) == 1
    refused(capsys, "symbolic link")


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_simulate_into_a_link_leaves_the_link_and_no_stale_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], force: list[str]
) -> None:
    """A link given as the run directory stays a link, its target is untouched and nothing ``.old`` is left."""
    real = tmp_path / "real"
    assert main([*SIM, "-o", str(real)]) == 0
    before = {p.name: p.read_bytes() for p in real.iterdir()}
    link = tmp_path / "link"
    link.symlink_to(real)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    for target in (link, dangling):
        capsys.readouterr()
        assert main([*SIM, "-o", str(target), *force]) == 1
        refused(capsys)
    assert link.is_symlink() and dangling.is_symlink()
    assert {p.name: p.read_bytes() for p in real.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling", "link", "real"]


def test_sweep_and_report_all_check_the_output_folder_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, one_of_each: None
) -> None:
    """A dangling link, or a folder holding a file cpsim would replace, is refused before anything runs."""
    import cpsim.commands.sweep as sweep

    monkeypatch.setattr(sweep, "run_sweep", _no_work)
    monkeypatch.setattr(build, "run", _no_work)
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "nowhere")
    assert main([*SWEEP, "-o", str(link), "--force"]) == 1
    refused(capsys, "symbolic link")
    assert main(["report", "--all", "-o", str(link), "--force"]) == 1
    refused(capsys, "symbolic link")
    (tmp_path / "sw").mkdir()
    (tmp_path / "sw" / "results.csv").write_text("mine")
    assert main([*SWEEP, "-o", str(tmp_path / "sw")]) == 1
    refused(capsys, "results.csv")
    assert main([*SWEEP, "-o", str(tmp_path / "sw"), "--force"]) == 1
    refused(capsys, "results.csv", "did not write")
    assert (tmp_path / "sw" / "results.csv").read_text() == "mine"


@pytest.mark.parametrize("command", ["flowchart", "report"])
def test_a_link_given_as_an_output_file_is_refused_even_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """cpsim neither writes through nor replaces a symbolic link named as its output file."""
    target = tmp_path / "elsewhere.mmd"
    target.write_text("mine")
    link = tmp_path / "out.mmd"
    link.symlink_to(target)
    for force in ([], ["--force"]):
        assert main([command, PROC, "-o", str(link), *force]) == 1
        refused(capsys, "symbolic link")
    assert link.is_symlink() and target.read_text() == "mine"


def test_export_checks_its_output_file_and_writes_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """export -o FILE refuses an existing file without --force, and a folder always."""
    out = tmp_path / "net.pnml"
    out.write_text("mine")
    assert main(["export", "--pnml", PROC, "-o", str(out)]) == 1
    refused(capsys, "--force")
    assert main(["export", "--pnml", PROC, "-o", str(tmp_path)]) == 1
    refused(capsys, "folder")
    assert out.read_text() == "mine"


# 5. Folders and files follow the umask


def test_run_directories_and_files_follow_the_umask(tmp_path: Path, umask_027: None) -> None:
    """With umask 027 a run directory is 0750 and its files 0640, as for any file the user makes."""
    assert main([*SIM, "-o", str(tmp_path / "run")]) == 0
    assert _mode(tmp_path / "run") == 0o750
    assert {_mode(p) for p in (tmp_path / "run").iterdir()} == {0o640}


def test_report_and_sweep_folders_follow_the_umask(tmp_path: Path, umask_027: None, one_of_each: None) -> None:
    """report --all, a Markdown report's images and a sweep write folders 0750 and files 0640."""
    assert main(["report", "--all", "-o", str(tmp_path / "all"), "-n", "1", "--workers", "1"]) == 0
    assert main(["report", PROC, "-o", str(tmp_path / "r.md")]) == 0
    assert main([*SWEEP, "-o", str(tmp_path / "sw")]) == 0
    for path in tmp_path.rglob("*"):
        assert _mode(path) == (0o750 if path.is_dir() else 0o640), path


# Property: over any sequence of commands, no file cpsim did not write is changed or removed

USER_FILES = (
    "notes.txt a.html a.md a_files/notes.txt a_files/manifest.json b.mmd cat.md index.html manifest.json "
    "results.csv run run/mynotes.txt run/summary.json run/r.md all/index.html all/manifest.json "
    "all/procedures/redcar-internal.html all/runs/redcar-baseline/mynotes.txt all/runs/redcar-baseline/cases.csv "
    f"sw/results.csv sw/chart.png a_files/{FLOWCHART_SVG} run/r_files/{FLOWCHART_SVG}"
).split()
ALL = ["-n", "1", "--workers", "1"]
COMMANDS: dict[str, tuple[list[str], str | None]] = {
    # name: (arguments, with {} for the folder; the file named by -o, which --force may replace)
    "report html": (["report", PROC, "-o", "{}/a.html"], "a.html"),
    "report md": (["report", PROC, "-o", "{}/a.md"], "a.md"),
    "report md into the run": (["report", PROC, "-o", "{}/run/r.md"], "run/r.md"),
    "report --all": (["report", "--all", "-o", "{}/all", *ALL], None),
    "report --all here": (["report", "--all", "-o", "{}", *ALL], None),
    "flowchart": (["flowchart", PROC, "-o", "{}/b.mmd"], "b.mmd"),
    "export": (["export", "--pnml", PROC, "-o", "{}/c.pnml"], "c.pnml"),
    "catalogue": (["catalogue", PROC, "-o", "{}/cat.md"], "cat.md"),
    "simulate": ([*SIM, "-o", "{}/run"], None),
    "simulate into --all's run": ([*SIM, "-o", "{}/all/runs/redcar-baseline"], None),
    "sweep": ([*SWEEP, "-o", "{}/sw"], None),
    "sweep here": ([*SWEEP, "-o", "{}"], None),
}
STEP = st.one_of(
    st.tuples(st.just("user"), st.sampled_from(USER_FILES)),
    st.tuples(st.sampled_from(sorted(COMMANDS)), st.sampled_from(["", "--force"])),
)


def _put_user_file(folder: Path, name: str, text: str) -> bool:
    """Write a user's file at ``folder/name`` as a user would (making folders); False where that cannot be."""
    path = folder / name
    if path.is_dir() or any(p.exists() and not p.is_dir() for p in path.parents):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return True


def _run_quietly(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(steps=st.lists(STEP, min_size=1, max_size=6))
def test_no_file_cpsim_did_not_write_is_ever_changed_or_removed(steps: list[tuple[str, str]]) -> None:
    """Any sequence of writing commands, with and without --force, amid user files, keeps every user file.

    The one exception is the file a command names with -o when --force is given: replacing it is
    what the user asked for. cpsim also leaves no temporary file behind, and never a traceback.
    """
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        mp.setattr(build, "shipped_procedure_paths", lambda: [Path(PROC)])
        mp.setattr(build, "shipped_scenario_paths", lambda: [Path(SCEN)])
        folder = Path(tmp) / "f"
        folder.mkdir()
        mine: dict[str, str] = {}
        for i, (what, detail) in enumerate(steps):
            if what == "user":
                if _put_user_file(folder, detail, f"user file {i}\n"):
                    mine[detail] = f"user file {i}\n"
                continue
            words, named = COMMANDS[what]
            code, err = _run_quietly([w.replace("{}", str(folder)) for w in words] + ([detail] if detail else []))
            assert code in (0, 1) and "Traceback" not in err, err
            assert code == 0 or err.splitlines()[-1].startswith("cpsim: "), err
            if detail and named in mine:
                del mine[named]  # --force replaces the file named by -o: the user asked for that
            for name, text in mine.items():
                path = folder / name
                assert path.is_file() and not path.is_symlink() and path.read_text() == text, (what, detail, name)
            hidden = [p for p in folder.rglob(".*")]
            assert not hidden, hidden


@pytest.mark.parametrize("command", ["compare", "diff"])
def test_compare_and_diff_check_their_output_file_before_simulating(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An output file that may not be replaced is refused before a single replication runs."""
    import cpsim.commands.compare
    import cpsim.simulate.experiments.compare

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("simulated before checking the output file")

    monkeypatch.setattr(cpsim.commands.compare, "compare_scenarios", never)
    monkeypatch.setattr(cpsim.simulate.experiments.compare, "compare_scenarios", never)  # diff imports it late
    out = tmp_path / "mine.md"
    out.write_text("my notes")
    baseline = str(ROOT / "scenarios" / "redcar-baseline.yaml")
    internal = str(ROOT / "model" / "procedures" / "redcar-internal.yaml")
    draft = str(ROOT / "scenarios" / "procedures" / "redcar-internal-level2-one-day.yaml")
    args = [baseline, baseline] if command == "compare" else [internal, draft, "--scenario", baseline]
    assert main([command, *args, "-n", "1", "-o", str(out)]) == 1
    assert out.read_text() == "my notes"
    assert "--force" in capsys.readouterr().err
