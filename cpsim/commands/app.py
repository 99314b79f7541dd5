"""Open the what-if workbench in the browser: procedures, findings and what-if runs without YAML or a terminal.

Starts a local web application on 127.0.0.1 (a free port, or --port) and opens it in the browser.
Everything it shows comes from the same library as the other commands: the procedures and
scenarios in FOLDER (the shipped ones by default), each procedure's flowchart, ladder, findings
and timescales; a scenario's what-if form (staff, absence, deputies, demand and its seasonality,
reply times, a rung's deadline), checked as 'cpsim validate' checks a file and run as
'cpsim compare' runs it; the what-if saved as a scenario file that extends the baseline; the HTML
report; and any file checked with each problem at its line. It needs no internet: every script
and style is served by the app itself. Run 'cpsim app' and the browser opens; stop it with Ctrl-C.
With --check it starts, asks itself for every page of the folder once (each procedure, its
flowchart, each scenario's what-if form, the scripts and styles), says whether each answered, and
stops: a quick test that an installation works. See docs/app.md.

Example:
  cpsim app --check
  cpsim app scenarios/ --check --save-to .
"""

from __future__ import annotations

import argparse
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING

from cpsim.model.errors import CpsimError

if TYPE_CHECKING:
    from flask import Flask
    from werkzeug.serving import BaseWSGIServer

NAME = "app"
HELP = "the what-if workbench in the browser (a local web application)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register this command's options."""
    parser.add_argument(
        "folder", nargs="?", metavar="FOLDER", help="folder of procedure and scenario files (default: the shipped ones)"
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--no-browser", action="store_true", help="do not open the browser; only print the address")
    parser.add_argument(
        "--check", action="store_true", help="ask the app for every page once, say whether each answered, and stop"
    )
    parser.add_argument(
        "--save-to", metavar="DIR", help="folder what-ifs are saved in (default: FOLDER, else the current folder)"
    )


def run(args: argparse.Namespace) -> int:
    """Serve the app until Ctrl-C."""
    folder = Path(args.folder) if args.folder else None
    if folder is not None and not folder.is_dir():
        raise CpsimError(f"{folder}: no such folder; give a folder of procedure and scenario files, or none")
    save_dir = Path(args.save_to) if args.save_to else (folder or Path.cwd())
    if not save_dir.is_dir():
        raise CpsimError(f"{save_dir}: no such folder to save what-ifs in; create it or choose another with --save-to")
    if not 0 <= args.port <= 65535:
        raise CpsimError(f"--port must be from 0 to 65535, got {args.port}")
    from cpsim.app import create_app, make_local_server, serve

    app = create_app(folder, save_dir)
    try:
        server = make_local_server(app, args.port)
    except OSError as exc:
        raise CpsimError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}; choose another --port") from None
    url = f"http://127.0.0.1:{server.server_port}/"
    if args.check:
        return _check(app, server, url)

    def announce() -> None:
        print(f"cpsim app: {url} (Ctrl-C to stop)", flush=True)
        if not args.no_browser and not webbrowser.open(url):
            print(f"cpsim app: could not open a browser; open {url} yourself", file=sys.stderr)

    serve(app, server, announce)
    return 0


def _pages(app: Flask) -> list[str]:
    """Every page of the folder: the index, each procedure and its flowchart, each scenario's form, the assets."""
    ws = app.extensions["cpsim"].workspace
    quote = urllib.parse.quote
    pages = ["", "check", "static/app.css", "static/app.js"]
    for name in ws.procedures():
        pages += [f"procedure/{quote(name)}", f"procedure/{quote(name)}/flowchart.svg"]
    pages += [f"scenario/{quote(name)}" for name in ws.scenarios()]
    return pages


def _check(app: Flask, server: BaseWSGIServer, url: str) -> int:
    """Ask the running app for each page; print one line per page that failed and a total; 0 if all answered."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    failed = []
    pages = _pages(app)
    try:
        for page in pages:
            try:
                with urllib.request.urlopen(url + page, timeout=120) as response:
                    response.read()
            except urllib.error.HTTPError as exc:
                failed.append(f"{url}{page}: {exc.code} {exc.reason}")
    finally:
        server.shutdown()
        server.server_close()
    for line in failed:
        print(f"cpsim app: {line}", file=sys.stderr)
    print(f"cpsim app: {len(pages) - len(failed)} of {len(pages)} pages answered at {url}")
    return 1 if failed else 0
