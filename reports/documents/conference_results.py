"""The detail of a conference run's results: every timescale, the challenges, conferences and plans, staff.

Each section reads the run's summary defensively: figures it lacks are left out, and any figure it
holds that this module does not know (a new count, a new share) is still shown, under its own label.

Examples
--------
>>> figure_words("pushed_back_share", {"mean": 0.5, "ci95": [0.4, 0.6]})
'50.0% (95% CI 40.0% to 60.0%)'
>>> label("transfers_out"), figure_words("dissents", 3)
('Transfers out', '3')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from cpsim.model.conference.spec import ENDINGS
from cpsim.reports.documents.blocks import Block, Bullets, Paragraph, Section, Table
from cpsim.reports.documents.conference_summary import (
    CHALLENGE_HEADER,
    TIMESCALE_HEADER,
    challenge_rows,
    number_words,
    ordered_timescales,
    timescale_rows,
)
from cpsim.reports.text.run_summary import ci_words, percent, role_words

__all__ = [
    "challenges_section",
    "conferences_section",
    "figure_words",
    "label",
    "milestone_words",
    "staff_section",
    "timescales_section",
    "titled",
]

KNOWN_TOP = {"scenario", "seed", "replications", "assumptions", "timescales", "conferences", "challenges", "staff"}
KNOWN_CONFERENCES = {
    "held_per_replication": "Conferences held per replication",
    "reconvened_for_quoracy": "Reconvened for quoracy (all replications)",
    "inquorate_but_proceeded": "Inquorate, but the chair proceeded (all replications)",
    "pushed_back_share": "Conferences pushed back for want of a chair",
    "pushed_back_days_mean": "Working days they were pushed back by (mean)",
    "chair_wait_initial_mean": "Working days an initial conference waits for a chair (mean)",
    "same_chair_share": "Reviews chaired by the child's previous chair",
    "plans_ended_per_replication": "Plans ended per replication",
}
SUB_ORDER = {
    "held_per_replication": ("initial", "receiving-in", "pre-birth", "review", "reconvened"),
    "plans_ended_per_replication": ENDINGS,
}
"""The order of the entries of a figure given per kind, where the summary file keeps them sorted by name."""
KNOWN_CHALLENGES = {"raised", "failed_checks", "counted", "per_100_conferences", "targets", "rung_deadlines",
                    "resolution_working_days_mean", "unfinished"}  # fmt: skip


WORDS = {"left-uk": "left the UK", "eighteenth-birthday": "18th birthday", "pre-birth": "pre-birth",
         "receiving-in": "receiving-in"}  # fmt: skip
"""Summary keys whose words are not the key with its dashes as spaces."""


def label(key: str) -> str:
    """A summary key as words: ``transfers_out`` → "Transfers out", ``left-uk`` → "Left the UK"."""
    words = WORDS.get(key) or key.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _lower(words: str) -> str:
    return words if words[1:2].isupper() else words[:1].lower() + words[1:]


def _is_share(key: str) -> bool:
    return bool(re.search(r"share|rate|proportion", key))


def figure_words(key: str, value: Any) -> str:
    """A figure of the summary in words: a share or mean with its CI, a count, or a list."""
    if isinstance(value, Mapping) and "mean" in value:
        if _is_share(key):
            if value.get("mean") is None:
                return "not measured"
            ci = ci_words(value.get("ci95"))
            return percent(value["mean"]) + (f" (95% CI {ci})" if ci else "")
        return number_words(value)
    if isinstance(value, Mapping):
        return "; ".join(f"{_lower(label(k))} {figure_words(k, v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(str(x) for x in value)
    return str(value)


def _rows(data: Mapping[str, Any], known: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(what, figure) rows: a mapping of figures is one row per entry, labelled with the mapping's label."""
    rows = []
    order = list(known or {})
    for key, value in sorted(data.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)):
        name = (known or {}).get(key) or label(key)
        if (
            isinstance(value, Mapping)
            and value
            and "mean" not in value
            and all(isinstance(v, Mapping) for v in value.values())
        ):
            rank = {k: i for i, k in enumerate(SUB_ORDER.get(key, ()))}
            parts = sorted(value.items(), key=lambda kv: rank.get(kv[0], len(rank)))
            rows += [(f"{name}: {_lower(label(k))}", figure_words(k, v)) for k, v in parts]
        else:
            rows.append((name, figure_words(key, value)))
    return rows


def titled(text: str, titles: Mapping[str, str]) -> str:
    """``text`` with each source file named by its title: "(004_ab.txt, Quoracy)" → "(Title, Quoracy)".

    The short form "(004, …)" is replaced too when exactly one known source starts with that number.

    >>> titled('"x" (004_ab.txt, Quoracy); (004, Roles)', {"004_ab.txt": "Conferences"})
    '"x" (Conferences, Quoracy); (Conferences, Roles)'
    """
    for doc, title in titles.items():
        text = text.replace(doc, title)

    def short(m: re.Match[str]) -> str:
        found = [t for d, t in titles.items() if d.startswith(m.group(1) + "_")]
        return f"({found[0]}{m.group(2)}" if len(found) == 1 else m.group(0)

    return re.sub(r"\((\d{3})([,)])", short, text)


def milestone_words(basis: str, milestones: Mapping[str, str]) -> str:
    r"""A rule's basis with each milestone named by title: "lc, milestone 'm': …" → "Milestone “M”: …".

    >>> milestone_words('lc, milestone \'review\': "within 3 months"', {"review": "Review conference"})
    'Milestone “Review conference”: "within 3 months"'
    >>> milestone_words("lc, milestone 'a': \"x\"; lc, milestone 'b': \"y\"", {"a": "A"})
    'Milestone “A”: "x"; Milestone “b”: "y"'
    """

    def title(m: re.Match[str]) -> str:
        return f"{m.group(1)}Milestone “{milestones.get(m.group(2), m.group(2))}”: "

    return re.sub(r"(^|; )[\w-]+, milestone '([\w-]+)': ", title, basis)


def timescales_section(
    summary: Mapping[str, Any], titles: Mapping[str, str], milestones: Mapping[str, str] | None = None
) -> Section:
    """Every timescale under the national statistics' names, with where each comes from.

    ``titles`` gives each source file's title; ``milestones`` each life-cycle milestone's title by id.
    """
    rows = timescale_rows(summary)
    basis = []
    for row in ordered_timescales(summary.get("timescales") or {}, None):
        stated = "Stated by the scenario (the source gives none): " if row.get("stated_by_scenario") else ""
        basis.append(stated + titled(milestone_words(str(row.get("basis", "")), milestones or {}), titles))
    table = tuple((*r, b) for r, b in zip(rows, basis, strict=True))
    return Section(
        "timescales",
        "Conference timescales",
        (
            Paragraph(
                "Each timescale is counted over the events due after the warm-up and before the end of the simulated "
                "period; the share is of those decided (on time or late), with its 95% confidence interval."
            ),
            Table((*TIMESCALE_HEADER, "Late", "Unfinished", "Where the timescale comes from"), table),
        ),
    )


def challenges_section(
    summary: Mapping[str, Any], names: Mapping[str, str], checks: Sequence[tuple[str, int]] = ()
) -> Section:
    """The challenges that failed QA checks raised: how many, how fast, and each deadline or target missed."""
    c = summary.get("challenges") or {}
    rows = [
        ("Challenges raised (all replications)", str(c.get("raised", ""))),
        ("Failed QA checks (all replications)", str(c.get("failed_checks", ""))),
        ("Challenges counted (after the warm-up)", str(c.get("counted", ""))),
        ("Raised per 100 conferences", number_words(c.get("per_100_conferences") or {})),
        ("Time to resolution", number_words(c.get("resolution_working_days_mean") or {}, " working days")),
        ("Still unfinished at the end", str(c.get("unfinished", 0))),
    ]
    rows += _rows({k: v for k, v in c.items() if k not in KNOWN_CHALLENGES})
    blocks: list[Block] = [Table(("Figure", "Value"), tuple(rows))]
    deadlines = challenge_rows(summary, names)
    if deadlines:
        blocks += [
            Paragraph("Each target and reply deadline of the escalation procedure, and how often it was missed:"),
            Table((*CHALLENGE_HEADER, "Unfinished"), deadlines),
        ]
    else:
        blocks.append(Paragraph("The escalation procedure sets no reply deadline or target to measure."))
    if checks:
        blocks += [
            Paragraph("The QA checks that failed, each raising one challenge (all replications):"),
            Table(("QA check", "Failed"), tuple((t, str(n)) for t, n in checks)),
        ]
    return Section("challenges", "Challenges raised by failed QA checks", tuple(blocks))


def conferences_section(summary: Mapping[str, Any]) -> Section:
    """Conferences held, reconvened and pushed back, and plans ended; any other figure the summary gives."""
    conf = summary.get("conferences") or {}
    rows = _rows(conf, KNOWN_CONFERENCES)
    if "children_per_replication" in summary:
        rows.insert(0, ("Children per replication", number_words(summary["children_per_replication"])))
    other = {k: v for k, v in summary.items() if k not in KNOWN_TOP and k != "children_per_replication"}
    rows += _rows(other)
    note = Paragraph("Counts per replication are means over replications, with their 95% confidence intervals.")
    return Section("conferences", "Conferences and plans", (note, Table(("Figure", "Value"), tuple(rows))))


def staff_section(summary: Mapping[str, Any], titles: Mapping[str, str]) -> Section:
    """Each staffed role: how many people, how busy, and the queue waiting for them."""
    rows = []
    for role, st in (summary.get("staff") or {}).items():
        name = titles.get(role) or role_words(role)
        if st.get("headcount") == "unlimited":
            rows.append((name, "as many as needed", "", "", ""))
            continue
        n = st.get("headcount")
        people = f"{n} {'person' if n == 1 else 'people'}"
        queue = st.get("queue_mean")
        rows.append((name, people, figure_words("utilisation_share", st.get("utilisation") or {}),
                     "" if queue is None else f"{queue:.2f}", str(st.get("queue_max", ""))))  # fmt: skip
    head = ("Role", "Staff", "Busy (share of working time)", "Waiting on average", "Most waiting")
    blocks: list[Block] = [Table(head, tuple(rows))] if rows else [Bullets(("No staffed role.",))]
    return Section("staff", "Staff", tuple(blocks))
