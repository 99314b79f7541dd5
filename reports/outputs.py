"""What cpsim may write, and what it may replace.

Every file is written to a temporary file beside it and renamed into place, with the permissions
the user's umask gives (files ``0666 & ~umask``, folders ``0777 & ~umask``). A file the user names
with ``-o`` is replaced only with ``force``. The files cpsim writes into a folder on its own account
(a run directory, a sweep's results, the pages of ``report --all``, the images beside a Markdown
report) are listed with their sha256 in that folder's ``manifest.json``; ``force`` replaces such a
file only while it is listed and unchanged, and never replaces or removes any other file. cpsim
neither writes through nor replaces a symbolic link named as an output. Every check here runs
before the slow work starts, so a refused output loses nothing.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp()) / "out"
>>> [p.name for p in write_files(folder, {"a.txt": b"hello"})]
['a.txt']
>>> (folder / "mine.txt").write_text("mine")
4
>>> unknown_files(folder)
['mine.txt']
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from cpsim.model.errors import CpsimError

__all__ = [
    "RECORD",
    "WRITTEN",
    "cannot_write",
    "check_output_files",
    "cpsim_version",
    "digests",
    "dumps",
    "need_folder",
    "not_ours",
    "record_files",
    "refuse_existing",
    "refuse_link",
    "umask",
    "unknown_files",
    "write_atomic",
    "write_files",
]

RECORD = "manifest.json"
"""The file in each output folder listing the files cpsim wrote there, with their sha256."""
WRITTEN = "written"
"""The key of :data:`RECORD` that maps each file cpsim wrote (a relative POSIX path) to its sha256."""


def cpsim_version() -> str:
    """The installed cpsim version (read from package metadata, so reports need not import the CLI)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cpsim")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+local"


def dumps(data: object) -> str:
    """JSON text as cpsim writes it: sorted keys, two-space indent, a final newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def umask() -> int:
    """The process umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def cannot_write(path: Path, exc: OSError) -> CpsimError:
    """The error for an operating-system failure while writing ``path``."""
    return CpsimError(f"{path}: cannot write: {exc.strerror or exc}; check the folder's permissions and free space")


def not_ours(folder: Path, names: Collection[str]) -> CpsimError:
    """The error for ``names`` in ``folder``, which cpsim would replace but did not write."""
    return CpsimError(
        f"{folder}: holds files cpsim did not write ({_listed(names)}: not in its {RECORD}, or changed since); "
        "move them away or choose another folder (--force replaces only files cpsim wrote)"
    )


def _listed(names: Collection[str], most: int = 5) -> str:
    shown = ", ".join(sorted(names)[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def refuse_link(path: Path) -> None:
    """Raise if ``path`` is a symbolic link: cpsim neither writes through nor replaces one.

    Raises
    ------
    CpsimError
        Naming what the link points to, so the user can give that path instead.
    """
    if path.is_symlink():
        raise CpsimError(
            f"{path}: is a symbolic link (to {os.readlink(path)}); cpsim neither writes through nor replaces "
            "a link: give the path it points to, or another name"
        )


def need_folder(folder: Path) -> None:
    """Raise unless ``folder`` is, or can be made as, a folder cpsim may write in.

    Raises
    ------
    CpsimError
        If a file or a broken link is in the way, or the nearest existing folder is not writable.
    """
    existing = next(p for p in (folder, *folder.parents) if os.path.lexists(p))
    if existing.is_symlink() and not existing.is_dir():
        refuse_link(existing)
    if not existing.is_dir():
        raise CpsimError(f"{existing}: is a file, not a folder, so {folder} cannot be written; choose another name")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise CpsimError(f"{existing}: no permission to write in this folder; choose another one")


def refuse_existing(path: Path | str, force: bool) -> None:
    """Raise unless a file may be written at ``path`` (called before slow work starts).

    Raises
    ------
    CpsimError
        If ``path`` is a link or a folder, its folder does not exist, or it exists and ``force`` is false.
    """
    path = Path(path)
    refuse_link(path)
    if path.is_dir():
        raise CpsimError(f"{path}: is a folder; name the file to write")
    if path.exists() and not force:
        raise CpsimError(f"{path}: file exists; choose another name or add --force to overwrite it")
    if not path.parent.exists():
        raise CpsimError(f"{path}: folder {path.parent} does not exist; create it first")
    need_folder(path.parent)


def write_atomic(path: Path | str, data: bytes, force: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it.

    Raises
    ------
    CpsimError
        If :func:`refuse_existing` refuses ``path``, or the operating system fails to write it.
    """
    path = Path(path)
    refuse_existing(path, force)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise cannot_write(path, exc) from exc
        raise
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entries(folder: Path) -> list[str]:
    """Every file, link and empty folder under ``folder``, as a relative POSIX path (folders end in /)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        links = [d for d in dirnames if (here / d).is_symlink()]
        found += [(here / name).relative_to(folder).as_posix() for name in (*filenames, *links)]
        if not dirnames and not filenames and here != folder:
            found.append(here.relative_to(folder).as_posix() + "/")
    return sorted(found)


def digests(folder: Path) -> dict[str, str]:
    """The sha256 of every file under ``folder`` but its record, by relative POSIX path."""
    return {name: _sha256(folder / name) for name in _entries(folder) if name != RECORD}


def _record(folder: Path) -> dict[str, Any] | None:
    """The record in ``folder`` if it is one cpsim wrote: a JSON object with a version and a ``written`` map."""
    path = folder / RECORD
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or "cpsim_version" not in data:
        return None
    files = data.get(WRITTEN)
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        return None
    return data


def _known(folder: Path, name: str, record: dict[str, Any] | None) -> bool:
    """Whether ``folder/name`` is the record, or a file the record lists and that is unchanged."""
    if record is None:
        return False
    if name == RECORD:
        return True
    path = folder / name
    wrote = record[WRITTEN].get(name)
    return wrote is not None and path.is_file() and not path.is_symlink() and _sha256(path) == wrote


def unknown_files(folder: Path, names: Collection[str] | None = None) -> list[str]:
    """Which of ``names`` (default: everything in ``folder``) exist there but are not files cpsim wrote."""
    record = _record(folder)
    present = _entries(folder) if names is None else [n for n in names if os.path.lexists(folder / n)]
    return [n for n in present if not _known(folder, n, record)]


def record_files(folder: Path, written: Mapping[str, str], base: Mapping[str, Any] | None = None) -> None:
    """List ``written`` (name -> sha256) in ``folder``'s record, keeping the entries still current.

    The record keeps its other keys (a run directory's manifest stays one); ``base`` starts a new one.
    """
    old = _record(folder)
    data = dict(base) if base is not None else (old or {})
    data.setdefault("cpsim_version", cpsim_version())
    old_files: dict[str, str] = old[WRITTEN] if old else {}
    kept = {n: d for n, d in old_files.items() if n not in written and _known(folder, n, old)}
    data[WRITTEN] = dict(sorted({**kept, **written}.items()))
    write_atomic(folder / RECORD, dumps(data).encode("utf-8"), force=True)


def check_output_files(folder: Path | str, names: Collection[str], force: bool) -> None:
    """Raise unless cpsim may write ``names`` (relative paths) into ``folder``, and record them there.

    Raises
    ------
    CpsimError
        If ``folder`` is a link or cannot be a folder; if one of ``names`` (or the record) exists and
        ``force`` is false; or, with ``force``, if one that exists is not a file cpsim wrote.
    """
    folder = Path(folder)
    refuse_link(folder)
    for parent in sorted({(folder / n).parent for n in names} | {folder}):
        need_folder(parent)
    present = [n for n in (*names, RECORD) if os.path.lexists(folder / n)]
    if present and not force:
        raise CpsimError(
            f"{folder}: folder exists and already holds {_listed(present)}; "
            "choose another folder or add --force to replace them"
        )
    unknown = unknown_files(folder, present)
    if unknown:
        raise not_ours(folder, unknown)


def write_files(folder: Path | str, files: Mapping[str, bytes], force: bool = False) -> list[Path]:
    """Write ``files`` (relative path -> bytes) into ``folder`` and list them in its record.

    Raises
    ------
    CpsimError
        If :func:`check_output_files` refuses, or the operating system fails to write.
    """
    folder = Path(folder)
    check_output_files(folder, list(files), force)
    for parent in sorted({(folder / n).parent for n in files} | {folder}):
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise cannot_write(parent, exc) from exc
    written = [write_atomic(folder / name, data, force=True) for name, data in files.items()]
    record_files(folder, {name: hashlib.sha256(data).hexdigest() for name, data in files.items()})
    return written
