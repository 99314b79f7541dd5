r"""Render a :class:`~cpsim.reports.documents.content.Report` as Markdown, with its images as files beside it.

The flowchart is also given as a Mermaid block, which GitHub and most Markdown tools draw.

Examples
--------
>>> from cpsim.reports.documents.content import Report, Section, Table
>>> text, files = render_markdown(Report("T", "S", (Section("manifest", "M", (Table(("a",), (("x|y",),)),)),)), "r")
>>> print(text.splitlines()[-1])
| x\|y |
"""

from __future__ import annotations

from cpsim.reports.documents.blocks import Bullets, Image, Paragraph, Report, Steps, Table

__all__ = ["render_markdown"]

_EXT = {"image/svg+xml": "svg", "image/png": "png"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report, image_dir: str) -> tuple[str, dict[str, bytes]]:
    """The report as Markdown text, and the image files it links to (relative path -> bytes).

    Parameters
    ----------
    report
        The report.
    image_dir
        Folder name, relative to the Markdown file, where the images are to be written.
    """
    out = [f"# {report.title}", "", f"_{report.subtitle}_", ""]
    files: dict[str, bytes] = {}
    for s in report.sections:
        out += [f'<a id="{s.id}"></a>', "", f"## {s.title}", ""]
        for b in s.blocks:
            if isinstance(b, Paragraph):
                out += [f"### {b.text}" if b.heading else b.text, ""]
            elif isinstance(b, Bullets):
                out += [f"- {x}" for x in b.items] + [""]
            elif isinstance(b, Steps):
                for n, (text, sub) in enumerate(b.items, start=1):
                    out.append(f"{n}. {text}")
                    out += [f"   - {x}" for x in sub]
                out.append("")
            elif isinstance(b, Table):
                out.append("| " + " | ".join(map(_cell, b.header)) + " |")
                out.append("|" + "---|" * len(b.header))
                out += ["| " + " | ".join(map(_cell, r)) + " |" for r in b.rows]
                out.append("")
            elif isinstance(b, Image):
                name = f"{image_dir}/{b.id}.{_EXT[b.mime]}"
                files[name] = b.data
                out += [f"![{b.caption}]({name})", "", f"_{b.caption}_", ""]
                if b.mermaid:
                    out += ["```mermaid", b.mermaid.rstrip(), "```", ""]
    return "\n".join(out).rstrip() + "\n", files
