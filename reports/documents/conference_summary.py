"""The summary that opens a conference run's report: timescales met and challenges' deadlines missed, with CIs.

Reads only the run's summary (:func:`cpsim.simulate.conference.summary.summarise_conferences`), and
reads it defensively: a figure the summary lacks is left out, one it adds is shown with its label.

Examples
--------
>>> s = {"timescales": {"icpc": {"name": "Initial conferences within 15 working days", "events": 10,
...      "within": 8, "late": 2, "unfinished": 0, "within_share": {"mean": 0.8, "ci95": [0.6, 1.0]}}},
...      "challenges": {"targets": {}, "rung_deadlines": {}}}
>>> timescale_rows(s)
(('Initial conferences within 15 working days', '80.0%', '60.0% to 100.0%', '8 of 10', '2', '0'),)
>>> conference_headline(s)
'Initial conferences within 15 working days: 80.0% on time (95% CI 60.0% to 100.0%); no challenge target'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cpsim.reports.documents.blocks import Block, Paragraph, Section, Table
from cpsim.reports.documents.summary import GLOSSARY
from cpsim.reports.text.run_summary import ci_words, percent
from cpsim.simulate.conference.summary import MEASURES

__all__ = [
    "CONFERENCE_GLOSSARY",
    "HEADLINE",
    "challenge_rows",
    "conference_headline",
    "conference_summary",
    "number_words",
    "ordered_timescales",
    "timescale_rows",
]

HEADLINE = ("icpc", "review", "core-group", "core-group-cycle", "minutes", "reports-to-chair")
"""The timescales the summary opens with (the rest are in the full table)."""

TIMESCALE_HEADER = ("Measure (as the national statistics name it)", "On time", "95% CI", "On time of decided")
CHALLENGE_HEADER = ("Challenge target or deadline", "Missed", "95% CI", "Missed of decided")

CONFERENCE_GLOSSARY = (
    *(w for w in GLOSSARY if w[0] not in ("Breach", "Breach rate", "Rung")),
    (
        "Breach",
        "An event or a challenge that missed its timescale, deadline or target: a conference held later "
        "than the procedure allows, or a reply to a challenge given after its deadline.",
    ),
    (
        "On time, late, unfinished",
        "An event is on time when it happened within its timescale and late when it did not; it is unfinished "
        "when the simulated period ended before it was due and it had not yet happened. Shares are of the "
        "decided events (on time or late); unfinished ones are counted apart, never as on time.",
    ),
    ("Rung", "A step of an escalation procedure: one person asked to reply within a deadline."),
    (
        "Initial child protection conference",
        "The first conference about a child after section 47 enquiries (an investigation under the Children "
        "Act 1989); it decides whether the child needs a child protection plan.",
    ),
    (
        "Review conference",
        "A later conference for a child on a child protection plan: the first within 3 months of the initial "
        "conference, later ones at most 6 months apart.",
    ),
    (
        "Core group",
        "The professionals and family members who carry out a child protection plan between conferences; "
        "it meets on a fixed cycle.",
    ),
    ("Quorate", "Enough agencies present for the conference to decide; an inquorate conference may be reconvened."),
    (
        "QA check",
        "A question on the checklist the chair completes before a conference (reports shared in time, child "
        "invited, statutory visits done); in this simulation each failed check raises a challenge.",
    ),
    (
        "National children-in-need statistics",
        "The government's yearly figures on children in need and child protection; the timescale table uses "
        "their names so that an authority can set its own published figures beside these.",
    ),
)
"""The glossary that closes a conference report: the general words and the conference ones."""


def _ci(fig: Mapping[str, Any]) -> str:
    return ci_words(fig.get("ci95")) or "not enough replications"


def number_words(fig: Mapping[str, Any], unit: str = "") -> str:
    """A mean (not a share) with its 95% CI: "2.15 (95% CI 1.77 to 2.53)"; "not measured" without one.

    Every such figure of a conference run (a count, working days, challenges per 100 conferences)
    is at least 0, so the interval is kept at or above 0, as a share's is kept within 0% and 100%.

    >>> number_words({"mean": 2.148, "ci95": [1.766, 2.53]}, " working days")
    '2.15 working days (95% CI 1.77 to 2.53)'
    >>> number_words({"mean": 19.5, "ci95": [-24.97, 63.97]})
    '19.50 (95% CI 0.00 to 63.97)'
    """
    if fig.get("mean") is None:
        return "not measured"
    ci = fig.get("ci95")
    interval = f" (95% CI {max(ci[0], 0):.2f} to {ci[1]:.2f})" if ci and None not in ci else ""
    return f"{fig['mean']:.2f}{unit}{interval}"


def ordered_timescales(timescales: Mapping[str, Any], keys: Iterable[str] | None) -> list[Mapping[str, Any]]:
    """The timescales named by ``keys`` (default: all, in the table's order, any the table does not know last)."""
    if keys is None:
        rank = {m: i for i, m in enumerate(MEASURES)}
        keys = sorted(timescales, key=lambda k: (rank.get(k, len(rank)), k))
    return [timescales[k] for k in keys if isinstance(timescales.get(k), Mapping)]


def timescale_rows(
    summary: Mapping[str, Any], keys: Iterable[str] | None = None
) -> tuple[tuple[str, str, str, str, str, str], ...]:
    """Per timescale: name, share on time, its 95% CI, on time of decided, late, unfinished."""
    rows = []
    for row in ordered_timescales(summary.get("timescales") or {}, keys):
        share = row.get("within_share") or {}
        events, unfinished = row.get("events", 0), row.get("unfinished", 0)
        rows.append(
            (
                str(row.get("name", "")),
                percent(share.get("mean")),
                _ci(share),
                f"{row.get('within', 0)} of {events - unfinished}",
                str(row.get("late", "")),
                str(unfinished),
            )
        )
    return tuple(rows)


def _challenge_items(summary: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any], str]]:
    """(key, figures, "target" or "deadline") of every challenge target, then every rung deadline."""
    c = summary.get("challenges") or {}
    items = [(k, t, "target") for k, t in (c.get("targets") or {}).items()]
    return items + [(k, r, "deadline") for k, r in (c.get("rung_deadlines") or {}).items()]


def challenge_rows(
    summary: Mapping[str, Any], names: Mapping[str, str] | None = None
) -> tuple[tuple[str, str, str, str, str], ...]:
    """Per challenge target and rung deadline: what it is, share missed, its 95% CI, missed of decided, unfinished.

    ``names`` gives each key ("procedure/stage") in words; the key itself is used otherwise.
    """
    rows = []
    for key, t, kind in _challenge_items(summary):
        rate = t.get("breach_rate") or {}
        limit = t.get("within") or t.get("deadline") or ""
        what = (names or {}).get(key) or (t.get("title") if kind == "target" else None) or key
        decided = t.get("challenges", t.get("visits", 0)) - t.get("unfinished", 0)
        label = f"{'Target' if kind == 'target' else 'Reply deadline'}: {what} ({limit})"
        rows.append((label, percent(rate.get("mean")), _ci(rate), f"{t.get('breached', '')} of {decided}",
                     str(t.get("unfinished", 0))))  # fmt: skip
    return tuple(rows)


def _raised(summary: Mapping[str, Any]) -> str:
    c = summary.get("challenges") or {}
    per = number_words(c.get("per_100_conferences") or {})
    return (
        f"{c.get('raised', 0)} challenges were raised for {c.get('failed_checks', 0)} failed QA checks "
        f"(all replications): {per} per 100 conferences."
    )


def conference_headline(summary: Mapping[str, Any]) -> str:
    """The headline timescales on time with their CIs, then the challenges' targets: the index page's line."""
    parts = [f"{r[0]}: {r[1]} on time (95% CI {r[2]})" for r in timescale_rows(summary, HEADLINE[:2])]
    targets = [r for r in challenge_rows(summary) if r[0].startswith("Target")]
    parts += [f"{r[0]}: missed by {r[1]} (95% CI {r[2]})" for r in targets] or ["no challenge target"]
    return "; ".join(parts)


def _table(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> Table:
    """A table whose last column (unfinished) is left out when nothing was unfinished, to keep the summary short."""
    if all(r[-1] == "0" for r in rows):
        return Table(header[:-1], tuple(r[:-1] for r in rows))
    return Table(header, rows)


def conference_summary(
    summary: Mapping[str, Any], names: Mapping[str, str] | None = None, findings: Iterable[Block] = ()
) -> Section:
    """The section that opens a conference report: headline timescales, then the challenges, with 95% CIs."""
    n = summary.get("replications")
    blocks: list[Block] = [
        Paragraph(f"How often the conference timescales were met, over {n} replications of the simulated period:"),
        _table((*TIMESCALE_HEADER, "Late", "Unfinished"), timescale_rows(summary, HEADLINE)),
        Paragraph(_raised(summary)),
    ]
    rows = challenge_rows(summary, names)
    if rows:
        blocks.append(_table((*CHALLENGE_HEADER, "Unfinished"), rows))
    if not (summary.get("challenges") or {}).get("targets"):
        blocks.append(
            Paragraph("The escalation procedure sets no overall target for resolving a challenge, so none is measured.")
        )
    blocks.append(Paragraph("Every timescale, with where it comes from, is in the next section."))
    return Section("summary", "Summary", (*blocks, *findings))
