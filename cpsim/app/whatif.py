"""A what-if built from the form: the changed values, written as a scenario file that ``extend``s the baseline.

The file gives only what changes (docs/what-if.md): the staff and demand values merge key by key
into the baseline's; a changed reply time or deadline restates the ``procedures`` list, and a
changed deadline runs a draft of the procedure (written beside the file, under ``procedures/``).
The file is checked by the loader the command line uses (:func:`check_scenario_file`, as
``cpsim validate`` does), so a bad value gets the same message, at its line.

Examples
--------
>>> parse_value("3"), parse_value("0.25"), parse_value("unlimited"), parse_value("")
(3, 0.25, 'unlimited', None)
>>> slug("Two service managers!")
'two-service-managers'
"""

from __future__ import annotations

import copy
import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from cpsim.app.controls import Group
from cpsim.model.errors import Problem
from cpsim.model.files import read_yaml
from cpsim.model.scenario import Scenario, check_scenario_file, load_scenario
from cpsim.model.scenario.changes import file_data, set_value

__all__ = ["Checked", "Edit", "WhatIf", "check", "edits_from", "parse_value", "slug", "whatif_files"]

_HEADER = "# A what-if made in 'cpsim app': only what changes from the baseline it extends.\n"
_DRAFT_HEADER = (
    "# A WHAT-IF EDIT, not a faithful encoding: made in 'cpsim app' from {source}.\n"
    "# Citations are those of the published procedure.\n"
)


def parse_value(text: str) -> Any:
    """``text`` read as a value in a YAML file is read: a number, a word, or None when blank."""
    text = text.strip()
    if not text:
        return None
    try:
        value = YAML(typ="safe", pure=True).load(text)
    except YAMLError:
        return text
    return value if isinstance(value, int | float | str) else text


def slug(text: str) -> str:
    """``text`` as a scenario id: lower-case letters, digits and hyphens, starting with a letter."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    words = words if words[:1].isalpha() else f"what-if-{words}".rstrip("-")
    return words[:64].rstrip("-")


@dataclass(frozen=True)
class Edit:
    """One changed value: the control it came from, the baseline's value and the new one as typed."""

    name: str
    label: str
    before: str
    text: str

    @property
    def value(self) -> Any:
        """The new value as the file will hold it."""
        return parse_value(self.text)

    @property
    def sentence(self) -> str:
        """The change in words, e.g. ``Service manager: headcount 1 instead of 3``."""
        after = self.text.strip() or "none"
        return f"{self.label} {after} instead of {self.before or 'none'}"


def edits_from(groups: Sequence[Group], form: Mapping[str, str]) -> list[Edit]:
    """The controls whose value in ``form`` differs from the baseline's, in the order they are shown."""
    out = []
    for group in groups:
        for c in group.controls:
            raw = form.get(c.name)
            if raw is None or raw.strip() == c.value or parse_value(raw) == parse_value(c.value):
                continue
            out.append(Edit(c.name, c.label, c.value, raw.strip()))
    return out


@dataclass(frozen=True)
class WhatIf:
    """A what-if: the baseline file it extends, its file name (stem), its title and its edits."""

    baseline: Path
    stem: str
    title: str
    edits: tuple[Edit, ...]

    @property
    def file_name(self) -> str:
        """The scenario file's name."""
        return f"{self.stem}.yaml"


def _dump(data: Any) -> str:
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def _ref(path: str | Path, folder: Path, relative: bool) -> str:
    target = Path(path).resolve()
    return os.path.relpath(target, folder) if relative else str(target)


def _draft(base: Scenario, index: int, deadlines: dict[str, Any], draft_id: str) -> bytes:
    """Route ``index``'s procedure file with the reply deadlines in ``deadlines`` changed, as YAML."""
    route = base.routes[index]
    yaml = YAML()
    yaml.width = 4096
    data = yaml.load(Path(route.path).read_text(encoding="utf-8"))
    said = []
    for stage in data.get("stages", []):
        if stage.get("id") in deadlines and isinstance(stage.get("deadline"), dict):
            d = stage["deadline"]
            old = d.get("as_written") or f"{d.get('amount')} working days"
            d["amount"] = deadlines[stage["id"]]
            d["as_written"] = f"within {deadlines[stage['id']]} working days (what-if; the procedure says “{old}”)"
            d.pop("ambiguous", None)
            d.pop("reading", None)
            said.append(f"{stage.get('title', stage['id'])} replies within {deadlines[stage['id']]} working days")
    data["id"] = draft_id
    data["title"] = f"{data.get('title', route.procedure.title)} (what-if: {'; '.join(said)})"
    data["version"] = "what-if draft"
    buf = io.StringIO()
    yaml.dump(data, buf)
    return (_DRAFT_HEADER.format(source=Path(route.path).name) + buf.getvalue()).encode("utf-8")


def _routes(
    base: Scenario, edits: Sequence[Edit], folder: Path, relative: bool, stem: str
) -> tuple[Any, dict[str, bytes]]:
    """The restated ``procedures`` list and the draft procedure files (by path relative to ``folder``)."""
    entries = copy.deepcopy(file_data(base.spec)["procedures"])
    for i, entry in enumerate(entries):
        ref = str(entry["procedure"])
        if ref.endswith((".yaml", ".yml")) or "/" in ref:
            entry["procedure"] = _ref(base.routes[i].path, folder, relative)
    drafts: dict[str, bytes] = {}
    deadlines: dict[int, dict[str, Any]] = {}
    for e in edits:
        parts = e.name.split(".")
        i = int(parts[1])
        if parts[2] == "deadline":
            deadlines.setdefault(i, {})[parts[3]] = e.value
        else:
            entries = set_value({"p": entries}, ".".join(["p", str(i), "behaviour", *parts[2:]]), e.value)["p"]
    for i, changed in deadlines.items():
        draft_id = slug(f"{base.routes[i].procedure.id}-{stem}")
        name = f"procedures/{draft_id}.yaml"
        drafts[name] = _draft(base, i, changed, draft_id)
        entries[i]["procedure"] = name
    return entries, drafts


def _put(data: dict[str, Any], parts: Sequence[str], value: Any) -> None:
    """Set ``value`` at ``parts`` in ``data``, making the mappings on the way."""
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def whatif_files(base: Scenario, whatif: WhatIf, folder: Path, *, relative: bool) -> dict[str, bytes]:
    """The what-if's files by path relative to ``folder``: the scenario file first, then any drafts.

    ``relative`` writes ``extend`` (and restated procedure paths) relative to ``folder``, as for a
    saved file; otherwise they are absolute, as for a run in a scratch folder.
    """
    data: dict[str, Any] = {
        "extend": _ref(whatif.baseline, folder, relative),
        "id": slug(whatif.stem),
        "title": whatif.title.strip() or f"{base.title} — what-if",
        "description": f"Made in cpsim app from {whatif.baseline.name}; see the first assumption for what changes.",
        "assumptions": [
            "WHAT-IF - " + "; ".join(e.sentence for e in whatif.edits) + ".",
            *base.spec.assumptions,
        ],
    }
    staff_and_demand = [e for e in whatif.edits if not e.name.startswith("route.")]
    for e in staff_and_demand:
        _put(data, e.name.split("."), e.value)
    drafts: dict[str, bytes] = {}
    routed = [e for e in whatif.edits if e.name.startswith("route.")]
    if routed:
        data["procedures"], drafts = _routes(base, routed, folder, relative, whatif.stem)
    return {whatif.file_name: (_HEADER + _dump(data)).encode("utf-8"), **drafts}


@dataclass(frozen=True)
class Checked:
    """A what-if checked by the loader: its problems (empty when valid), per control too, and the scenario."""

    path: Path
    problems: tuple[Problem, ...]
    by_control: dict[str, list[str]]
    scenario: Scenario | None

    def shown(self, problem: Problem) -> str:
        """The problem as ``cpsim validate`` prints it, with the scratch folder left out of the file name."""
        return str(problem).replace(f"{self.path.parent}{os.sep}", "")


def _locs(whatif: WhatIf, folder: Path, base: Scenario) -> dict[str, tuple[Path, tuple[Any, ...]]]:
    """Where each edited value is written: file and location in it."""
    out: dict[str, tuple[Path, tuple[Any, ...]]] = {}
    for e in whatif.edits:
        parts = e.name.split(".")
        if parts[0] != "route":
            out[e.name] = (folder / whatif.file_name, tuple(parts))
        elif parts[2] == "deadline":
            draft = folder / "procedures" / f"{slug(f'{base.routes[int(parts[1])].procedure.id}-{whatif.stem}')}.yaml"
            index = [s.id for s in base.routes[int(parts[1])].procedure.stages].index(parts[3])
            out[e.name] = (draft, ("stages", index, "deadline", "amount"))
        else:
            loc = ("procedures", int(parts[1]), "behaviour", *parts[2:])
            out[e.name] = (folder / whatif.file_name, loc)
    return out


def check(base: Scenario, whatif: WhatIf, folder: Path) -> Checked:
    """Write the what-if into the scratch ``folder`` and check it as ``cpsim validate`` would.

    Each problem is also listed under the control whose value it is about, when it is at that
    value's line.
    """
    files = whatif_files(base, whatif, folder, relative=False)
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    path = folder / whatif.file_name
    problems = tuple(check_scenario_file(path))
    lines: dict[tuple[Path, int], list[str]] = {}
    for name, (file, loc) in _locs(whatif, folder, base).items():
        # a value's own line, and for a distribution's parameter the line of the distribution too
        parents = [loc, loc[:-1]] if "reply_time" in loc else [loc]
        for where in parents:
            try:
                line = read_yaml(file).locate(where)[0]
            except Exception:  # noqa: BLE001 - a value that cannot be located is shown at the top only
                continue
            lines.setdefault((file.resolve(), line), []).append(name)
    by_control: dict[str, list[str]] = {}
    for p in problems:
        for control in lines.get((Path(p.file).resolve(), p.line), []):
            by_control.setdefault(control, []).append(p.message + (f" ({p.hint})" if p.hint else ""))
    scenario = load_scenario(path) if not problems else None
    return Checked(path, problems, by_control, scenario)
