"""Write a run directory as its replications finish, so that memory does not grow with them.

:class:`RunWriter` opens a hidden temporary folder beside the run directory before the first
replication starts. Each finished replication's challenges and events are appended there at once
(:meth:`RunWriter.add`) and dropped from memory; :meth:`RunWriter.finish` writes the summary, the
staff table and the manifest, then renames the folder into place, with Ctrl-C held so that an
interrupt while writing leaves either the old run directory or the new one, never a mix. Each
replication's rows are made by :mod:`cpsim.reports.rundir.write`'s own file writers, so a run
written here is byte for byte the run :func:`~cpsim.reports.rundir.write.write_run` writes.

The temporary folder holds a marker with the writing process's id until it is renamed: a folder
left by a run that was killed (not interrupted) is removed by the next run into the same place.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from cpsim.reports.outputs import cannot_write, digests, record_files, umask
from cpsim.reports.rundir.write import _move_into_place, _write_files, check_output_dir, manifest
from cpsim.simulate.experiments.interrupts import held_interrupts
from cpsim.simulate.experiments.runner import Replicated, RunResult

__all__ = ["PARTIAL", "STREAMED", "RunWriter", "remove_stale"]

PARTIAL = ".cpsim-partial"
"""The marker in a run directory still being written: the id of the process writing it."""
STREAMED = ("cases.csv", "events.csv", "events.xes")
"""The files written a replication at a time."""
_XES_TAIL = "</log>\n"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(target: Path) -> list[Path]:
    """Remove the temporary folders beside ``target`` that a killed run left (marked, their process gone)."""
    removed = []
    for folder in target.parent.glob(f".{target.name}.*"):
        marker = folder / PARTIAL
        if folder.is_symlink() or not marker.is_file():
            continue
        try:
            pid = int(marker.read_text(encoding="utf-8").strip() or "0")
        except (OSError, ValueError):
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _split(text: bytes, name: str) -> tuple[bytes, bytes, bytes]:
    """A file as ``(head, body, tail)``: the CSV header line, or the XES log's opening and closing."""
    if name.endswith(".csv"):
        cut = text.index(b"\n") + 1
        return text[:cut], text[cut:], b""
    tail = _XES_TAIL.encode()
    start = text.find(b"  <trace>")
    cut = start if start >= 0 else len(text) - len(tail)
    return text[:cut], text[cut : len(text) - len(tail)], tail


class RunWriter:
    """A run directory written a replication at a time, then moved into place whole.

    Use it as a context: leaving the block without :meth:`finish` removes the temporary folder.
    """

    def __init__(self, target: str | Path, force: bool, template: RunResult) -> None:
        """Check ``target`` as :func:`check_output_dir` does and open the temporary folder beside it.

        ``template`` gives the scenario and seed of the run (its replications are not used).
        """
        self.target, self.force = Path(target), force
        check_output_dir(self.target, force)
        remove_stale(self.target)
        self.template = dataclasses.replace(template, stats=(), records=())
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", dir=self.target.parent))
            os.chmod(self.tmp, 0o777 & ~umask())
            (self.tmp / PARTIAL).write_text(str(os.getpid()), encoding="utf-8")
            self.parts = {name: (self.tmp / f"{name}.part").open("wb") for name in STREAMED}
        except OSError as exc:
            raise cannot_write(self.target, exc) from exc
        self.added = 0
        self.done = False

    def __enter__(self) -> RunWriter:
        """The writer itself."""
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """Remove the temporary folder unless the run was finished."""
        if not self.done:
            self.abandon()

    def add(self, rep: Replicated) -> None:
        """Append one finished replication's challenges and events (in replication order)."""
        if rep.records is None:
            return
        chunk = self.tmp / ".replication"
        one = dataclasses.replace(self.template, stats=(rep.stats,), records=(rep.records,))
        try:
            chunk.mkdir()
            _write_files(chunk, one)
            for name, fh in self.parts.items():
                fh.write(_split((chunk / name).read_bytes(), name)[1])
                fh.flush()
        except OSError as exc:
            raise cannot_write(self.target, exc) from exc
        finally:
            shutil.rmtree(chunk, ignore_errors=True)
        self.added += 1

    def finish(self, result: RunResult, *, version: str, workers: int) -> int:
        """Write the summary, staff table and manifest of ``result`` and move the run into place.

        Ctrl-C is held meanwhile; returns how many arrived (the caller exits 130 if any did).
        """
        with held_interrupts(reraise=False) as held:
            try:
                self._assemble(dataclasses.replace(result, records=()))
                record_files(self.tmp, digests(self.tmp), base=manifest(result, version=version, workers=workers))
                check_output_dir(self.target, self.force)
                _move_into_place(self.tmp, self.target)
            except OSError as exc:
                raise cannot_write(self.target, exc) from exc
            finally:
                self.done = True
                self.abandon()
        return held.count

    def _assemble(self, result: RunResult) -> None:
        for fh in self.parts.values():
            fh.close()
        final = self.tmp / ".final"
        final.mkdir()
        _write_files(final, result)  # the summary and staff table, and the streamed files' heads
        for name in STREAMED:
            head, _, tail = _split((final / name).read_bytes(), name)
            with (self.tmp / name).open("wb") as out, (self.tmp / f"{name}.part").open("rb") as body:
                out.write(head)
                shutil.copyfileobj(body, out, 1 << 20)
                out.write(tail)
            (self.tmp / f"{name}.part").unlink()
            (final / name).unlink()
        for extra in final.iterdir():
            os.replace(extra, self.tmp / extra.name)
        final.rmdir()
        (self.tmp / PARTIAL).unlink()

    def abandon(self) -> None:
        """Close the files and remove the temporary folder (nothing of this run is kept)."""
        for fh in self.parts.values():
            fh.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
