"""Open the what-if workbench in the browser: procedures, findings and what-if runs without YAML or a terminal.

Starts a local web application on 127.0.0.1 (a free port, or --port) and opens it in the browser.
Everything it shows comes from the same library as the other commands: the procedures and
scenarios in FOLDER (the shipped ones by default), each procedure's flowchart, ladder, findings
and timescales; a scenario's what-if form (staff, absence, deputies, demand and its seasonality,
reply times, a rung's deadline), checked as 'cpsim validate' checks a file and run as
'cpsim compare' runs it; the what-if saved as a scenario file that extends the baseline; the HTML
report; and any file checked with each problem at its line. It needs no internet: every script
and style is served by the app itself. Stop it with Ctrl-C. See docs/app.md.

Example:
  cpsim app
  cpsim app my-scenarios/ --port 8050 --save-to my-scenarios/
"""

from __future__ import annotations

import argparse
import sys
import webbrowser
from pathlib import Path

from cpsim.model.errors import CpsimError

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
    print(f"cpsim app: {url} (Ctrl-C to stop)", flush=True)
    if not args.no_browser and not webbrowser.open(url):
        print(f"cpsim app: could not open a browser; open {url} yourself", file=sys.stderr)
    serve(app, server)
    return 0
