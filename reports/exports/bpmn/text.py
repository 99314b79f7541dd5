"""How much room a label needs in bpmn-js: text measured in DejaVu Sans, the widest common sans-serif.

bpmn-js writes names in Arial (falling back to the system's sans-serif), 12 px inside shapes and
11 px outside them, wrapping at spaces and hyphens, with 7 px of padding inside a task. Sizes here
are measured in DejaVu Sans, which is wider than Arial and Liberation Sans, so a label sized here fits
in either.

Examples
--------
>>> wrap("Level 1 — social worker / team manager", 150)
['Level 1 — social', 'worker / team manager']
>>> task_size("Resolved")
(120.0, 80.0)
"""

from __future__ import annotations

import functools
import math
import re

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

__all__ = ["LINE", "SLACK", "label_size", "task_size", "text_width", "wrap"]

LINE = 1.2
"""bpmn-js line height, as a multiple of the font size."""

_PAD = 7.0
_ICON = 20.0  # the task-type icon in the top left corner: keep the text clear of it
SLACK = 1.06
"""How much wider than DejaVu Sans a label is measured, for rounding and hinting differences between renderers."""
_TO_PATH = TextToPath()


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float = 12.0) -> float:
    """Width in pixels of ``text`` on one line at ``size`` px.

    >>> text_width("ii") < text_width("WW")
    True
    """
    prop = FontProperties(family="DejaVu Sans", size=size)
    width, _, _ = _TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return float(width) * SLACK


def wrap(text: str, width: float, size: float = 12.0) -> list[str]:
    """``text`` broken into lines no wider than ``width`` at spaces and after hyphens, as bpmn-js does.

    A word wider than ``width`` stays on a line of its own (the caller makes the shape wider).
    """
    lines: list[str] = []
    for para in text.split("\n"):
        parts = [p for p in re.split(r"(?<=-)|(?<=\s)", para) if p]
        line = ""
        for part in parts:
            trial = line + part
            if line and text_width(trial.rstrip(), size) > width:
                lines.append(line.rstrip())
                line = part
            else:
                line = trial
        lines.append(line.rstrip())
    return lines


def task_size(name: str) -> tuple[float, float]:
    """Width and height of a task whose name fits inside it: at least 120 by 80, wider before taller."""
    longest = max(text_width(w) for w in name.split())
    for width in range(120, 250, 10):
        if longest + 2 * _PAD > width:
            continue
        lines = wrap(name, width - 2 * _PAD)
        if len(lines) <= 3 or width >= 240:
            break
    height = max(80.0, 10 * math.ceil((len(lines) * LINE * 12 + 2 * _ICON) / 10))
    return float(width), height


def label_size(name: str, max_width: float = 110.0, size: float = 11.0) -> tuple[float, float, int]:
    """Width, height and line count of an external label (events, gateways, flows) at most ``max_width`` wide.

    A name that would take more than three lines may be half as wide again.

    >>> label_size("Resolved")[2], label_size("Chair considers whether the majority decision is unsatisfactory")[2]
    (1, 3)
    """
    if len(wrap(name, max_width, size)) > 3:
        max_width *= 1.5
    width = min(max_width, max(max(text_width(w, size) for w in name.split()), text_width(name, size)))
    width = max(width, min(max_width, text_width(name, size)))
    lines = wrap(name, width, size)
    width = max(text_width(line, size) for line in lines)
    return math.ceil(width) + 2.0, math.ceil(len(lines) * LINE * size) + 2.0, len(lines)
