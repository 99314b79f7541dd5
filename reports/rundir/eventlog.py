"""Which replications' events a run directory keeps (none, the first K, all), and whether they are gzipped.

Every replication's challenges go to ``cases.csv`` and its staff to ``staff.csv``; the event log
(``events.csv`` and ``events.xes``, one row or event per stage start and completion) is by far the
largest part of a run directory, so it is a choice. The default, ``auto``, keeps every
replication's events in a run of up to :data:`AUTO_FIRST` replications and the first
:data:`AUTO_FIRST` of a larger one: enough for process mining and the workload chart, without a
1,000-replication run writing half a gigabyte. Gzipped, the files are ``events.csv.gz`` and
``events.xes.gz``, which pandas and pm4py read as they are.

>>> parse_events("first:5"), parse_events("auto").resolve(20).label, parse_events("auto").resolve(500).label
(EventLog(kind='first', first=5, gzip=False), 'all', 'first:50')
>>> EventLog("first", 2).keeps(1), EventLog("first", 2).keeps(2), EventLog("none").files
(True, False, ())
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from cpsim.model.errors import CpsimError

__all__ = ["ALL", "AUTO_FIRST", "CHOICES", "EventLog", "parse_events"]

AUTO_FIRST = 50
"""``auto`` keeps every replication's events up to this many replications, and this many beyond."""
CHOICES = "auto, all, none or first:K (e.g. first:10)"
"""The values ``--events`` takes, as told to the user."""


@dataclass(frozen=True)
class EventLog:
    """Which replications' events are written: ``all``, ``none``, the ``first`` K, or ``auto`` (see above)."""

    kind: Literal["auto", "all", "none", "first"]
    first: int = 0
    gzip: bool = False

    def resolve(self, replications: int) -> EventLog:
        """The choice for a run of ``replications``: ``auto`` made ``all`` or ``first``; ``first`` beyond it ``all``."""
        if self.kind == "auto":
            if replications <= AUTO_FIRST:
                return dataclasses.replace(self, kind="all", first=0)
            return dataclasses.replace(self, kind="first", first=AUTO_FIRST)
        if self.kind == "first" and self.first >= replications:
            return dataclasses.replace(self, kind="all", first=0)
        return self

    @property
    def label(self) -> str:
        """The choice as written on the command line: ``all``, ``none``, ``first:K`` or ``auto``."""
        return f"first:{self.first}" if self.kind == "first" else self.kind

    @property
    def upto(self) -> int | None:
        """Replications ``0 .. upto-1`` keep their events (None: every one)."""
        return {"all": None, "auto": None, "none": 0}.get(self.kind, self.first)

    def keeps(self, replication: int) -> bool:
        """True when replication number ``replication`` (from 0) has its events written."""
        return self.upto is None or replication < self.upto

    @property
    def files(self) -> tuple[str, ...]:
        """The event log's files in the run directory (none with ``none``)."""
        if self.kind == "none":
            return ()
        suffix = ".gz" if self.gzip else ""
        return (f"events.csv{suffix}", f"events.xes{suffix}")

    def manifest(self, requested: int, finished: int) -> dict[str, Any]:
        """The manifest's ``events`` entry: the choice, its files, and which replications they hold.

        >>> EventLog("first", 3).manifest(10, 2)["replications"]
        {'from': 0, 'to': 1, 'count': 2, 'of': 2}
        """
        chosen = self.resolve(requested)
        kept = finished if chosen.upto is None else min(chosen.upto, finished)
        return {
            "choice": chosen.label,
            "gzip": self.gzip,
            "files": list(chosen.files),
            "replications": {"from": 0, "to": kept - 1, "count": kept, "of": finished} if kept else None,
        }


ALL = EventLog("all")
"""Every replication's events, not compressed."""


def parse_events(text: str, *, gzip: bool = False) -> EventLog:
    """The choice written ``auto``, ``all``, ``none`` or ``first:K``.

    Raises
    ------
    CpsimError
        If ``text`` is none of these, saying what is.
    """
    word = text.strip().lower()
    if word in ("auto", "all", "none"):
        return EventLog(word, 0, gzip)  # type: ignore[arg-type]
    head, sep, count = word.partition(":")
    if head == "first" and sep and count.isdigit() and int(count) >= 1:
        return EventLog("first", int(count), gzip)
    raise CpsimError(f"--events {text!r}: write {CHOICES}")
