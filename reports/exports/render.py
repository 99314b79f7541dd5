"""Render a flowchart in the format its file name asks for (files are written by :mod:`cpsim.reports.outputs`).

Examples
--------
>>> sorted(FLOWCHART_FORMATS)
['.bpmn', '.dot', '.mmd', '.pdf', '.png', '.svg']
>>> from cpsim.model import PROCEDURES_DIR, load_procedure
>>> render_flowchart(load_procedure(PROCEDURES_DIR / "redcar-internal.yaml"), ".mmd")[:12]
b'flowchart LR'
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import matplotlib
from matplotlib.figure import Figure

from cpsim.model.errors import CpsimError, did_you_mean
from cpsim.model.procedure import Procedure
from cpsim.reports.flowchart.layout import LaneBy
from cpsim.reports.style import Flags
from cpsim.verify import Finding, verify_procedure

__all__ = [
    "FLOWCHART_FORMATS",
    "figure_bytes",
    "findings_for",
    "render_flowchart",
]

FLOWCHART_FORMATS = {
    ".svg": "SVG drawing",
    ".png": "PNG image (200 dpi)",
    ".pdf": "PDF page",
    ".mmd": "Mermaid flowchart",
    ".dot": "Graphviz DOT",
    ".bpmn": "BPMN 2.0 XML with diagram",
}


def findings_for(procedure: Procedure) -> list[Finding]:
    """The verifier's findings for ``procedure``."""
    return list(verify_procedure(procedure))


def render_flowchart(procedure: Procedure, suffix: str, findings: Iterable[Finding] = (), by: LaneBy = "role") -> bytes:
    """The flowchart of ``procedure`` in the format named by ``suffix`` (e.g. ``".svg"``), as bytes.

    Raises
    ------
    CpsimError
        If ``suffix`` is not one of :data:`FLOWCHART_FORMATS`.
    """
    suffix = suffix.lower()
    flags = Flags.from_findings(findings)
    if suffix == ".mmd":
        from cpsim.reports.exports.mermaid import to_mermaid

        return to_mermaid(procedure, flags, by).encode()
    if suffix == ".dot":
        from cpsim.reports.exports.dot import to_dot

        return to_dot(procedure, flags, by).encode()
    if suffix == ".bpmn":
        from cpsim.reports.exports.bpmn import to_bpmn

        return to_bpmn(procedure, by).encode()
    if suffix in (".svg", ".png", ".pdf"):
        from cpsim.reports.flowchart.draw import draw_flowchart

        return figure_bytes(draw_flowchart(procedure, flags, by), suffix)
    known = ", ".join(FLOWCHART_FORMATS)
    raise CpsimError(
        f"cannot draw a flowchart as {suffix or 'a file with no extension'!r}: "
        f"name the output file with one of {known} ({did_you_mean(suffix, list(FLOWCHART_FORMATS))})"
    )


def figure_bytes(fig: Figure, suffix: str, dpi: int = 200) -> bytes:
    """A matplotlib Figure saved as ``.svg``, ``.png`` or ``.pdf`` bytes; SVG keeps text as text."""
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "cpsim"}):
        fig.savefig(buf, format=suffix.lstrip("."), dpi=dpi, metadata=_metadata(suffix))
    return buf.getvalue()


def _metadata(suffix: str) -> dict[str, str | None]:
    # Fixed metadata keeps SVG and PDF output byte-identical between runs.
    if suffix == ".svg":
        return {"Date": None}
    if suffix == ".pdf":
        return {"CreationDate": None, "ModDate": None}
    return {}
