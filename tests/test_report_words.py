"""Reports use the words a policy author uses: roles as words, headcounts as people, no "pp" or "1 x 2"."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cpsim.reports.text import summary_lines
from cpsim.reports.text.compare import comparison_markdown
from cpsim.simulate.experiments.compare import Comparison, Measure, paired_difference

SUMMARY = json.loads(Path("tests/expected/redcar-baseline.summary.json").read_text())


def test_staff_lines_give_roles_in_words_and_headcounts_as_people():
    lines = [x for x in summary_lines(SUMMARY) if "busy" in x]
    assert lines
    assert not [x for x in lines if re.search(r"\d+ x \d+", x) or "_" in x]
    ad = next(x for x in lines if x.strip().startswith("Assistant director"))
    assert "1 person, handling up to 2 challenges at a time" in ad
    sm = next(x for x in lines if x.strip().startswith("Service manager"))
    assert "3 people, each handling 1 challenge at a time" in sm
    assert any(x.strip().startswith("IRO team manager") for x in lines)


def _comparison() -> Comparison:
    d = paired_difference([0.2, 0.3, 0.25], [0.1, 0.22, 0.14])
    return Comparison("a", "b", "A", "B", 1, 3, (Measure("p/t breach rate", "breach_rate", "p/t", "p/t", d),), (), ())


def test_a_comparison_gives_its_verdict_before_the_table_in_points_not_pp():
    lines = comparison_markdown(_comparison())
    text = "\n".join(lines)
    assert " pp" not in text and "percentage points" in text
    verdict_at = next(i for i, x in enumerate(lines) if "distinguishable from noise at 3" in x)
    table_at = next(i for i, x in enumerate(lines) if x.startswith("| Measure"))
    assert verdict_at < table_at


def test_show_names_each_kind_of_stage_in_words_not_tags(capsys):
    from cpsim.cli import main
    from cpsim.model import PROCEDURES_DIR

    assert main(["show", str(PROCEDURES_DIR / "redcar-internal.yaml")]) == 0
    out = capsys.readouterr().out
    assert not re.search(r"\[(start|request|decision|dialogue)\]", out)
    assert "(a request for a reply)" in out and "(where it starts)" in out and "(a decision)" in out


def test_analyse_speaks_of_working_days_and_percentage_points_not_abbreviations(capsys):
    from cpsim.cli import main

    assert main(["analyse", "scenarios/redcar-baseline.yaml"]) == 0
    out = capsys.readouterr().out
    assert " WD" not in out and "per unit" not in out
    assert "time to resolution (working days): mean " in out
    sens = [x for x in out.splitlines() if "sensitivity:" in x]
    assert sens and all(
        re.search(r"were 0\.1 higher \(now [0-9.]+\), [+-]\d+\.\d percentage points missed", x) for x in sens
    )
