"""Render a flowchart in the format its file name asks for, and write files atomically.

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
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from cpsim.model.errors import CpsimError, did_you_mean
from cpsim.model.procedure import Procedure
from cpsim.reports.flowchart.layout import LaneBy
from cpsim.reports.style import Flags
from cpsim.verify import Finding, verify_procedure

__all__ = [
    "FLOWCHART_FORMATS",
    "cpsim_version",
    "figure_bytes",
    "findings_for",
    "refuse_existing",
    "render_flowchart",
    "write_atomic",
]

FLOWCHART_FORMATS = {
    ".svg": "SVG drawing",
    ".png": "PNG image (200 dpi)",
    ".pdf": "PDF page",
    ".mmd": "Mermaid flowchart",
    ".dot": "Graphviz DOT",
    ".bpmn": "BPMN 2.0 XML with diagram",
}


def cpsim_version() -> str:
    """The installed cpsim version (read from package metadata, so reports need not import the CLI)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cpsim")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+local"


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


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def refuse_existing(path: Path, force: bool) -> None:
    """Raise unless ``path`` is free or ``force`` allows replacing it (checked before slow work starts).

    Raises
    ------
    CpsimError
        If ``path`` exists and ``force`` is false, saying how to proceed.
    """
    if path.exists() and not force:
        raise CpsimError(f"{path}: file exists; choose another name or add --force to overwrite it")


def write_atomic(path: Path | str, data: bytes, force: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it.

    Raises
    ------
    CpsimError
        If ``path`` exists and ``force`` is false, or its folder does not exist.
    """
    path = Path(path)
    refuse_existing(path, force)
    if not path.parent.is_dir():
        raise CpsimError(f"{path}: folder {path.parent} does not exist; create it first")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
