"""Which files a scenario may name: only files inside the folders the user chose.

A scenario names other files (``extend:``, a ``procedure:`` path, ``arrivals.file``), each
relative to the file that names it. cpsim reads such a file only when its real path (symbolic
links followed) lies inside one of the *roots*: the folder of the scenario file named on the
command line, the shipped procedures and scenarios, and any folder listed in the environment
variable :data:`ALLOW_ENV` (separated by ``:``, or ``;`` on Windows). A ``..`` that climbs out,
an absolute path elsewhere, or a link that points out is refused at the line that names it,
without opening the file. Files named on the command line are the user's choice and are not
limited.

Examples
--------
>>> inside(Path("/data/a/b.yaml"), (Path("/data/a"),)), inside(Path("/data/a/../c.yaml"), (Path("/data/a"),))
(True, False)
"""

from __future__ import annotations

import os
from pathlib import Path

from cpsim.model import PROCEDURES_DIR

__all__ = ["ALLOW_ENV", "SHIPPED_SCENARIOS", "inside", "outside_message", "roots_for"]

ALLOW_ENV = "CPSIM_ALLOW_PATHS"
"""The environment variable listing further folders a scenario may name files in."""
SHIPPED_SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
"""The shipped scenarios (a scenario anywhere may extend one, or name its procedures)."""


def roots_for(path: str | Path) -> tuple[Path, ...]:
    """The folders a scenario file at ``path``, and every file it names, may name files in."""
    extra = [Path(p) for p in os.environ.get(ALLOW_ENV, "").split(os.pathsep) if p.strip()]
    return tuple(p.resolve() for p in (Path(path).parent, PROCEDURES_DIR, SHIPPED_SCENARIOS, *extra))


def inside(path: Path, roots: tuple[Path, ...]) -> bool:
    """True when the real path of ``path`` (``..`` and links resolved) lies in one of ``roots``."""
    real = Path(os.path.realpath(path))
    return any(real == root or real.is_relative_to(root) for root in roots)


def outside_message(what: str, ref: str, roots: tuple[Path, ...]) -> tuple[str, str]:
    """The message and hint for a file ``ref`` that lies outside ``roots``."""
    return (
        f"{what} {ref!r} is outside the folders this scenario may read",
        f"keep it in the scenario's folder ({roots[0]}) or a folder under it, or give the folder in "
        f"{ALLOW_ENV} (see docs/scenario-format.md)",
    )
