"""The Flask application and the local server it runs on (127.0.0.1 only).

:func:`create_app` builds the application for a folder; :func:`make_local_server` binds it to
127.0.0.1 on a free port (or the one asked for) and :func:`serve` runs it until Ctrl-C. Requests
are answered in threads; simulations run in their own background threads (:mod:`cpsim.app.jobs`).

A page on another site cannot post to the app: a POST whose ``Origin`` is not the app's own is
refused, and so is any request whose ``Host`` is not the loopback address (DNS rebinding).

Examples
--------
>>> app = create_app(None, Path("."))
>>> app.test_client().get("/").status_code
200
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from flask import Flask, abort, current_app, request
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from cpsim.app.jobs import Jobs
from cpsim.app.workspace import Workspace

__all__ = ["AppState", "allowing", "create_app", "make_local_server", "serve", "state"]

MAX_UPLOAD = 2 * 1024 * 1024
"""The largest file the check page accepts (a procedure file is a few tens of kilobytes)."""

_LOCAL_HOSTS = ("127.0.0.1", "localhost")


@dataclass
class AppState:
    """What the request handlers share: the folder, the runs, and a scratch folder for what-if files."""

    workspace: Workspace
    jobs: Jobs
    scratch: Path

    def validate(self, path: Path) -> tuple[bool, str]:
        """Run ``cpsim validate`` on ``path`` as the user would in a terminal: is it valid, and what it says."""
        run = subprocess.run(
            [sys.executable, "-m", "cpsim", "validate", path.name],
            capture_output=True,
            text=True,
            cwd=path.parent,
            timeout=300,
            check=False,
        )
        return run.returncode == 0, (run.stdout + run.stderr).strip()


def state() -> AppState:
    """The state of the running application."""
    return cast(AppState, current_app.extensions["cpsim"])


def _guard() -> None:
    host = (request.host or "").rsplit(":", 1)[0].strip("[]")
    if host not in _LOCAL_HOSTS:
        abort(403, description="cpsim app answers only on 127.0.0.1")
    origin = request.headers.get("Origin")
    if request.method == "POST" and origin and origin.rstrip("/") != request.host_url.rstrip("/"):
        abort(403, description="a form from another site cannot change anything here")


ALLOW_ENV = "CPSIM_ALLOW_PATHS"
"""The folders a scenario may name files in besides its own (see docs/scenario-format.md)."""


_ENV_LOCK = threading.Lock()


@contextlib.contextmanager
def allowing(folders: Sequence[Path]) -> Iterator[None]:
    """While the block runs, let scenarios read the files of ``folders`` too (``CPSIM_ALLOW_PATHS``).

    A scenario may name files only inside its own folder, the shipped ones and those listed in
    ``CPSIM_ALLOW_PATHS``. The app's what-if files live in a scratch folder and extend a baseline
    in the folder the user chose, so that folder is added while the app checks them; the setting
    is put back afterwards (one check at a time), so nothing else in the process sees it.
    """
    with _ENV_LOCK:
        before = os.environ.get(ALLOW_ENV)
        listed = [p for p in (before or "").split(os.pathsep) if p.strip()]
        listed += [str(f.resolve()) for f in folders if str(f.resolve()) not in listed]
        os.environ[ALLOW_ENV] = os.pathsep.join(listed)
        try:
            yield
        finally:
            if before is None:
                del os.environ[ALLOW_ENV]
            else:
                os.environ[ALLOW_ENV] = before


def create_app(folder: Path | None, save_dir: Path, scratch: Path | None = None) -> Flask:
    """The application for the files in ``folder`` (the shipped ones if None); what-ifs are saved in ``save_dir``."""
    from cpsim.app import pages, runs

    app = Flask("cpsim.app")
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD
    app.config["TEMPLATES_AUTO_RELOAD"] = False
    where = scratch if scratch is not None else Path(tempfile.mkdtemp(prefix="cpsim-app-"))
    app.extensions["cpsim"] = AppState(Workspace(folder, save_dir), Jobs(), where)
    app.before_request(_guard)
    app.register_blueprint(pages.bp)
    app.register_blueprint(runs.bp)
    return app


class _QuietHandler(WSGIRequestHandler):
    """Requests are not logged line by line on the terminal."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Say nothing."""


def make_local_server(app: Flask, port: int = 0) -> BaseWSGIServer:
    """A threaded server for ``app`` on 127.0.0.1; port 0 picks a free port (``server.server_port``).

    Raises
    ------
    OSError
        If the port cannot be listened on (Werkzeug itself would print and exit instead).
    """
    if port:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", port))
    return make_server("127.0.0.1", port, app, threaded=True, request_handler=_QuietHandler)


def serve(app: Flask, server: BaseWSGIServer, announce: Callable[[], None] = lambda: None) -> None:
    """Call ``announce`` (say where the app is), answer requests until Ctrl-C, then remove the scratch folder.

    Ctrl-C at any moment, even before the first request, stops the app cleanly.
    """
    try:
        announce()
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        shutil.rmtree(cast(AppState, app.extensions["cpsim"]).scratch, ignore_errors=True)
