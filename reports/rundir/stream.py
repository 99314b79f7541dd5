"""Write a run directory as its replications finish, so that memory does not grow with them.

:class:`RunWriter` opens a hidden temporary folder beside the run directory before the first
replication starts. Each finished replication's challenges (and, if the run keeps them, its
events: :mod:`cpsim.reports.rundir.eventlog`) are appended there at once (:meth:`RunWriter.add`)
and dropped from memory; only its small statistics are kept. :meth:`RunWriter.finish` writes the
summary, the staff table and the manifest, then renames the folder into place, with Ctrl-C held so
that an interrupt while writing leaves either the old run directory or the new one, never a mix.
:meth:`RunWriter.result` gives the run of the replications written so far, for a run that a
Ctrl-C cut short outside the runner.

Gzipped event files are written as one gzip member per part (the opening, each replication's
rows, the closing), which every gzip reader (Python's, pandas', pm4py's) reads as one file. The
rows come made as bytes (:mod:`cpsim.reports.rundir.encoded`), by the worker that ran the
replication when the runner was given the encoder.

The temporary folder holds a marker with the writing process's id until it is renamed: a folder
left by a run that was killed (not interrupted) is removed by the next run into the same place.
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO

from cpsim.reports.outputs import cannot_write, digests, dumps, record_files, umask
from cpsim.reports.rundir.encoded import GZIP_LEVEL, Encoded, csv_bytes, encode
from cpsim.reports.rundir.eventlog import ALL, EventLog
from cpsim.reports.rundir.rows import CASE_COLUMNS, EVENT_COLUMNS, XES_HEAD, XES_TAIL
from cpsim.reports.rundir.write import _move_into_place, check_output_dir, manifest
from cpsim.simulate.engine.records import RoleRecord, columns
from cpsim.simulate.experiments.interrupts import held_interrupts
from cpsim.simulate.experiments.runner import Replicated, RunResult, now
from cpsim.simulate.experiments.summary import ReplicationStats

__all__ = ["PARTIAL", "RunWriter", "remove_stale"]

PARTIAL = ".cpsim-partial"
"""The marker in a run directory still being written: the id of the process writing it."""


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


def _heads(name: str) -> tuple[str, str]:
    """The opening and closing of the file ``name`` around its rows: a CSV header, the XES log's frame."""
    if name.startswith("cases.csv"):
        return csv_bytes([list(CASE_COLUMNS)]).decode("utf-8"), ""
    if name.startswith("events.csv"):
        return csv_bytes([list(EVENT_COLUMNS)]).decode("utf-8"), ""
    return XES_HEAD, XES_TAIL


class RunWriter:
    """A run directory written a replication at a time, then moved into place whole.

    Use it as a context: leaving the block without :meth:`finish` removes the temporary folder.
    """

    def __init__(self, target: str | Path, force: bool, template: RunResult, events: EventLog = ALL) -> None:
        """Check ``target`` as :func:`check_output_dir` does and open the temporary folder beside it.

        ``template`` gives the scenario, seed and replications requested of the run (its
        replications are not used); ``events`` chooses which replications' events are written.
        """
        self.target, self.force = Path(target), force
        check_output_dir(self.target, force)
        remove_stale(self.target)
        self.template = dataclasses.replace(template, stats=(), records=())
        self.events = events.resolve(template.requested)
        self.names = ("cases.csv", *self.events.files)
        self.stats: list[ReplicationStats] = []
        self.kept: list[int] = []
        self.done = False
        self.parts: dict[str, IO[bytes]] = {}
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", dir=self.target.parent))
        except OSError as exc:
            raise cannot_write(self.target, exc) from exc
        try:
            os.chmod(self.tmp, 0o777 & ~umask())
            (self.tmp / PARTIAL).write_text(str(os.getpid()), encoding="utf-8")
            self.parts = {name: self._open_part(name) for name in self.names}
        except OSError as exc:
            self.abandon()
            raise cannot_write(self.target, exc) from exc
        except BaseException:  # a Ctrl-C while the folder was being made leaves nothing behind
            self.abandon()
            raise

    def _open_part(self, name: str) -> IO[bytes]:
        return (self.tmp / f"{name}.part").open("wb")

    def __enter__(self) -> RunWriter:
        """The writer itself."""
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """Remove the temporary folder unless the run was finished."""
        if not self.done:
            self.abandon()

    def add(self, rep: Replicated) -> None:
        """Append one finished replication's challenges, and its events if the run keeps them (in replication order).

        The rows are ``rep.encoded`` when the replication's worker made them
        (:func:`~cpsim.reports.rundir.encoded.encode`, given to the runner), else made here from its records.
        """
        self.stats.append(rep.stats)
        if isinstance(rep.encoded, Encoded):
            made = rep.encoded
        elif rep.records is not None:
            made = encode(self.events, rep.records)
        else:
            return
        try:
            for name, data in made.parts.items():
                self.parts[name].write(data)
            if made.events_kept:
                self.kept.append(made.replication)
            for fh in self.parts.values():
                fh.flush()
        except OSError as exc:
            raise cannot_write(self.target, exc) from exc

    def result(self, *, interrupted: bool, started: str = "") -> RunResult:
        """The run of the replications added so far (their statistics), in replication order."""
        stats = tuple(sorted(self.stats, key=lambda s: s.replication))
        return dataclasses.replace(
            self.template,
            stats=stats,
            interrupted=interrupted,
            started=started or self.template.started,
            finished=now(),
        )

    def finish(self, result: RunResult, *, version: str, workers: int) -> int:
        """Write the summary, staff table and manifest of ``result`` and move the run into place.

        Ctrl-C is held meanwhile; returns how many arrived (the caller exits 130 if any did).
        """
        with held_interrupts(reraise=False) as held:
            try:
                self._assemble(result)
                base = manifest(result, version=version, workers=workers, events=self.events, kept=self.kept)
                record_files(self.tmp, digests(self.tmp), base=base)
                check_output_dir(self.target, self.force)
                _move_into_place(self.tmp, self.target)
            except OSError as exc:
                raise cannot_write(self.target, exc) from exc
            finally:
                self.done = True
                self.abandon()
        return held.count

    def _assemble(self, result: RunResult) -> None:
        self._close()
        (self.tmp / "summary.json").write_text(dumps(result.summary()), encoding="utf-8")
        names = columns(RoleRecord)
        with (self.tmp / "staff.csv").open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(names)
            out.writerows([getattr(x, k) for k in names] for s in result.stats for x in s.roles)
        for name in self.names:
            head, tail = (part.encode("utf-8") for part in _heads(name))
            if name.endswith(".gz"):
                head, tail = (gzip.compress(x, GZIP_LEVEL, mtime=0) if x else b"" for x in (head, tail))
            with (self.tmp / name).open("wb") as out_fh, (self.tmp / f"{name}.part").open("rb") as body:
                out_fh.write(head)
                shutil.copyfileobj(body, out_fh, 1 << 20)
                out_fh.write(tail)
            (self.tmp / f"{name}.part").unlink()
        (self.tmp / PARTIAL).unlink()

    def _close(self) -> None:
        for fh in self.parts.values():
            if not fh.closed:
                fh.close()

    def abandon(self) -> None:
        """Close the files and remove the temporary folder (nothing of this run is kept)."""
        self._close()
        shutil.rmtree(self.tmp, ignore_errors=True)
