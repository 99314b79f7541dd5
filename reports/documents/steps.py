"""A procedure in plain English as report blocks: its stages as numbered steps, the rest beside them.

:func:`step_blocks` turns :func:`cpsim.model.procedure.describe` into a numbered list of stages with
their next steps, then what the file says beside the route (duties, quorums, decision rules,
checklists, targets) as a list; a life cycle's milestones become a table with their timescales,
sources (by title) and the words of the source (:func:`milestone_table`).

Examples
--------
>>> _split(["T", " 1. A", "      if x → B", " 2. B", "Milestones:", "  M: within 1 day.", "Quorum: Q."], 1)
([('A', ('if x → B',)), ('B', ())], ['M: within 1 day.'], ['Quorum: Q.'])
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cpsim.model.procedure import Procedure, describe
from cpsim.reports.documents.blocks import Block, Bullets, Paragraph, Steps, Table
from cpsim.reports.documents.summary import source_title

__all__ = ["milestone_table", "step_blocks"]

_STEP = re.compile(r"^\s{0,3}(\d+)\. (.*)$")
_SUB = "      "


def _split(lines: Sequence[str], milestones: int) -> tuple[list[tuple[str, tuple[str, ...]]], list[str], list[str]]:
    """(stages with their next steps, milestone lines, other lines beside the route) of ``describe``'s lines."""
    steps: list[tuple[str, list[str]]] = []
    rest: list[str] = []
    timed: list[str] = []
    i = 1
    while i < len(lines):
        line = lines[i]
        m = _STEP.match(line)
        if m and not line.startswith(_SUB) and not rest and not timed:
            steps.append((m.group(2), []))
        elif line.startswith(_SUB) and steps and not rest and not timed:
            steps[-1][1].append(line.strip())
        elif line.strip() == "Milestones:":
            timed = [x.strip() for x in lines[i + 1 : i + 1 + milestones]]
            i += milestones
        else:
            rest.append(line.strip())
        i += 1
    return [(t, tuple(sub)) for t, sub in steps], timed, rest


def _timescale(line: str, title: str) -> str:
    """A milestone line without its title: "within 10 working days after ...".

    >>> _timescale("Core group (when on a plan): within 10 working days.", "Core group")
    'within 10 working days (when on a plan)'
    """
    head, _, when = line.partition(": ")
    cond = head.removeprefix(title).strip()
    return when.rstrip(".") + (f" {cond}" if cond else "")


def milestone_table(proc: Procedure, lines: Sequence[str]) -> Table:
    """The milestones of ``proc``: each with its timescale in words, its source by title and the source's words."""
    rows = []
    for m, line in zip(proc.milestones, lines, strict=False):
        where = f"{source_title(proc, m.source.doc)} §{m.source.ref}"
        rows.append((m.title, _timescale(line, m.title), where, f"“{m.source.quote}”"))
    return Table(("Milestone", "Timescale", "Source", "Quote"), tuple(rows))


def step_blocks(proc: Procedure) -> list[Block]:
    """The stages as numbered steps, then the milestones (a table) and the rest of the file's rules (a list)."""
    steps, timed, rest = _split(describe(proc), len(proc.milestones))
    blocks: list[Block] = [
        Paragraph("Step by step (UNSPECIFIED marks what the source does not say):"),
        Steps(tuple(steps)),
    ]
    if proc.milestones:
        blocks += [
            Paragraph("Milestones: the timetable the procedure sets, with the words of the source."),
            milestone_table(proc, timed),
        ]
    if rest:
        blocks += [Paragraph("Beside the route:"), Bullets(tuple(rest))]
    return blocks
