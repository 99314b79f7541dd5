"""The record every check returns: one thing wrong or worth knowing about a procedure.

Examples
--------
>>> f = Finding("DEAD_END", "violation", "demo", ("level2",), ("raise", "level1", "level2"), "Stuck.", None)
>>> f.as_dict()["route"]
['raise', 'level1', 'level2']
>>> SEVERITIES.index("gap") < SEVERITIES.index("info")
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from cpsim.model.procedure.classes import Citation
from cpsim.model.types import StageId

__all__ = ["SEVERITIES", "Finding", "Severity", "cite"]

Severity = Literal["violation", "gap", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("violation", "gap", "warning", "info")
"""Severities from most to least serious.

violation: the file breaks a rule of a sound procedure (a case can get stuck, a deadline misses a target).
gap: the source is silent or unclear and the file says so (an ``unspecified`` note, a judgement call).
warning: probably a mistake in the file or a weakness worth a second look.
info: facts an author should know (bounds, slack, hand-offs).
"""


@dataclass(frozen=True)
class Finding:
    """One finding about one procedure.

    Parameters
    ----------
    code
        Stable UPPER_SNAKE identifier of the kind of finding (see docs/verification.md).
    severity
        One of :data:`SEVERITIES`.
    procedure
        Id of the procedure.
    stages
        Ids of the stages the finding is about.
    route
        Stage ids of a concrete walk through the procedure showing the finding (may be empty).
    message
        Plain-English explanation for a policy author.
    source
        The citation the finding rests on (``doc``, ``ref``, ``quote``), or None.
    """

    code: str
    severity: Severity
    procedure: str
    stages: tuple[StageId, ...]
    route: tuple[StageId, ...]
    message: str
    source: dict[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready mapping (the stable ``--json`` shape)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "procedure": self.procedure,
            "stages": list(self.stages),
            "route": list(self.route),
            "message": self.message,
            "source": dict(self.source) if self.source else None,
        }


def cite(citation: Citation | None) -> dict[str, str] | None:
    """A citation as a plain mapping, or None.

    >>> cite(Citation(doc="a.txt", ref="2.3", quote="within one day"))
    {'doc': 'a.txt', 'ref': '2.3', 'quote': 'within one day'}
    """
    if citation is None:
        return None
    return {"doc": citation.doc, "ref": citation.ref, "quote": citation.quote}
