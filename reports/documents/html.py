"""Render a :class:`~cpsim.reports.documents.content.Report` as one self-contained HTML page.

Images are inline (base64 data URIs), the style sheet is inline and there are no scripts or
external requests, so the file can be emailed, archived and printed as it is (print CSS included).

Examples
--------
>>> from cpsim.reports.documents.content import Paragraph, Report, Section
>>> page = render_html(Report("T", "S", (Section("procedure", "P", (Paragraph("a < b"),)),)))
>>> "<p>a &lt; b</p>" in page and 'id="procedure"' in page
True
"""

from __future__ import annotations

import base64
import re
from html import escape

from cpsim.reports.documents.blocks import Bullets, Image, Paragraph, Report, Section, Steps, Table

__all__ = ["CSS", "natural_width_px", "render_html", "render_index"]

CSS = """
body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; color: #111; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; } .subtitle { color: #4D4D4D; margin-top: 0; }
h2 { border-bottom: 2px solid #0072B2; padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { margin-bottom: 0.3rem; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1rem; font-size: 0.86rem; }
th, td { border: 1px solid #BBB; padding: 0.3rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #E0E0E0; } tr:nth-child(even) td { background: #F7F7F7; }
td.violation { color: #fff; background: #D55E00 !important; font-weight: bold; }
td.warning { background: #F0E442 !important; } td.gap { background: #DDEFFA !important; }
figure { margin: 1rem 0; page-break-inside: avoid; break-inside: avoid; }
figure img { max-width: 100%; height: auto; border: 1px solid #DDD; }
figcaption { font-size: 0.85rem; color: #4D4D4D; }
figure.wide .scroll { overflow-x: auto; border: 1px solid #DDD; } figure.wide img { max-width: none; border: 0; }
nav ol { columns: 3; } td.ci { white-space: nowrap; } .unspecified { background: #F0E442; }
@page { size: A4; margin: 15mm; }
@media print { body { max-width: none; margin: 0; font-size: 10pt; } nav { display: none; }
  h2 { page-break-after: avoid; break-after: avoid; } section { page-break-before: auto; }
  table, tr { page-break-inside: avoid; break-inside: avoid; } a { color: inherit; text-decoration: none; }
  figure.wide .scroll { overflow: visible; border: 0; } figure.wide img { max-width: 100%; height: auto; } }
"""


def _mark(text: str) -> str:
    return escape(text).replace("UNSPECIFIED", '<span class="unspecified">UNSPECIFIED</span>')


def _cell(text: str, header: str) -> str:
    cls = f' class="{escape(text)}"' if header == "Severity" else ' class="ci"' if header == "95% CI" else ""
    return f"<td{cls}>{_mark(text)}</td>"


def _block(b: object) -> str:
    if isinstance(b, Paragraph):
        return f"<h3>{escape(b.text)}</h3>" if b.heading else f"<p>{escape(b.text)}</p>"
    if isinstance(b, Bullets):
        items = "".join(f"<li>{_mark(x)}</li>" for x in b.items)
        return f"<ul>{items}</ul>"
    if isinstance(b, Steps):
        items = "".join(
            f"<li>{_mark(t)}" + (f"<ul>{''.join(f'<li>{_mark(x)}</li>' for x in sub)}</ul>" if sub else "") + "</li>"
            for t, sub in b.items
        )
        return f"<ol>{items}</ol>"
    if isinstance(b, Table):
        head = "".join(f"<th>{escape(h)}</th>" for h in b.header)
        rows = "".join(
            "<tr>" + "".join(_cell(c, h) for c, h in zip(r, b.header, strict=True)) + "</tr>" for r in b.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    if isinstance(b, Image):
        return _image(b)
    raise TypeError(f"cannot render {type(b).__name__}")


def natural_width_px(image: Image) -> float | None:
    """The width an SVG drawing asks for, in CSS pixels (96 to the inch); None for other images.

    >>> natural_width_px(Image("i", "c", "image/svg+xml", b'<svg width="72pt" height="10pt">'))
    96.0
    """
    if image.mime != "image/svg+xml":
        return None
    m = re.search(rb'<svg[^>]*\swidth="([0-9.]+)pt"', image.data[:2000])
    return float(m.group(1)) * 96 / 72 if m else None


def _image(b: Image) -> str:
    """A figure; a drawing wider than the text is shown at its own size, scrolling sideways (fitted when printed)."""
    data = base64.b64encode(b.data).decode("ascii")
    src = f'src="data:{b.mime};base64,{data}" alt="{escape(b.caption)}"'
    width = natural_width_px(b)
    if width is None or width <= TEXT_WIDTH_PX:
        return f'<figure id="{escape(b.id)}"><img {src}><figcaption>{escape(b.caption)}</figcaption></figure>'
    caption = f"{b.caption} (shown at its own size: scroll sideways to see all of it)"
    return (
        f'<figure id="{escape(b.id)}" class="wide"><div class="scroll"><img {src} width="{width:.0f}"></div>'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


TEXT_WIDTH_PX = 960
"""The width of the report's text column (60rem); wider drawings scroll rather than shrink."""


def _section(s: Section) -> str:
    return (
        f'<section id="{escape(s.id)}"><h2>{escape(s.title)}</h2>'
        + "\n".join(_block(b) for b in s.blocks)
        + "</section>"
    )


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def render_html(report: Report) -> str:
    """The report as a complete, self-contained HTML document."""
    nav = "".join(f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>' for s in report.sections)
    body = (
        f'<header><h1>{escape(report.title)}</h1><p class="subtitle">{escape(report.subtitle)}</p></header>\n'
        f"<nav><ol>{nav}</ol></nav>\n"
        + "\n".join(_section(s) for s in report.sections)
        + '\n<footer><p class="subtitle">Made with cpsim. Simulated figures rest on the assumptions stated above; '
        "they are estimates, not measurements.</p></footer>"
    )
    return _page(report.title, body)


def render_index(title: str, groups: list[tuple[str, list[tuple[str, str, str]]]]) -> str:
    """An index page: for each group, a table of (link, name, description) rows with relative links."""
    parts = [f'<header><h1>{escape(title)}</h1><p class="subtitle">Reports written by cpsim.</p></header>']
    for heading, rows in groups:
        body = "".join(
            f'<tr><td><a href="{escape(href)}">{escape(name)}</a></td><td>{escape(desc)}</td></tr>'
            for href, name, desc in rows
        )
        parts.append(
            f"<section><h2>{escape(heading)}</h2><table><thead><tr><th>Report</th><th>About</th></tr></thead>"
            f"<tbody>{body}</tbody></table></section>"
        )
    return _page(title, "\n".join(parts))
