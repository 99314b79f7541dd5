"""The ``cpsim`` command line: a thin layer that parses arguments and calls the library.

Each sub-command is a module in :mod:`cpsim.commands` exposing ``NAME`` (its module name),
``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``; they are found automatically. Only
the module of the command being run is imported (all of them for ``cpsim --help``), so that
``cpsim --version`` and ``cpsim validate`` start without loading the simulator or the drawing code.

Exit codes: 0 success, 1 invalid input, 2 usage error, 3 verification found violations,
130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import signal
import sys
import threading
from collections.abc import Sequence

from cpsim import __version__, commands

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_VIOLATIONS, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def command_names() -> list[str]:
    """The sub-commands, by module name, found without importing them."""
    return sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_"))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered.

    With ``only``, just that command's module is imported and given its options; the others are
    registered by name so that argparse still knows them.
    """
    parser = argparse.ArgumentParser(
        prog="cpsim",
        description="Check and test child protection challenge and escalation procedures.",
        epilog="Example: cpsim validate --sources ../shared/seeds model/procedures/*.yaml\n"
        "Run 'cpsim COMMAND --help' for each command's options and an example.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cpsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_names():
        if only is not None and name != only:
            sub.add_parser(name)
            continue
        module = importlib.import_module(f"cpsim.commands.{name}")
        command = sub.add_parser(
            module.NAME,
            help=module.HELP,
            description=module.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (130 for a Ctrl-C at any moment, while starting up too).

    Run as the program (``argv`` None), a Ctrl-C after the command has answered is ignored: it
    would only turn the exit code into a signal while Python shuts down.
    """
    try:
        code = _main(argv)
    except KeyboardInterrupt:
        print("cpsim: interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    if argv is None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return code


def _load(name: str | None) -> argparse.ArgumentParser:
    """The parser with the command's module loaded, a Ctrl-C meanwhile held until it has loaded.

    Python turns a KeyboardInterrupt raised inside some imports into another error (a RuntimeError
    from a class being made), so a Ctrl-C must not land in the middle of one.
    """
    if threading.current_thread() is not threading.main_thread():
        return build_parser(only=name)
    caught: list[int] = []
    old = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        parser = build_parser(only=name)
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler if old is None else old)
    if caught:
        raise KeyboardInterrupt
    return parser


def _main(argv: Sequence[str] | None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    name = next((w for w in words if not w.startswith("-")), None)
    if name not in command_names():
        name = "" if "--version" in words else None  # '': no command module is needed at all
    parser = _load(name)
    args = parser.parse_args(words)
    from cpsim.model.errors import CpsimError, FileError, collapsed  # after parsing: '--version' needs no model

    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except FileError as exc:
        for line in collapsed(exc.problems):  # the same problem many times is one line, with a count
            print(line, file=sys.stderr)
        return EXIT_INVALID
    except CpsimError as exc:
        print(f"cpsim: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("cpsim: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # the system refused a path outright (a name too long, a device, no permission)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"cpsim: {where}{exc.strerror or exc} (check the path)", file=sys.stderr)
        return EXIT_INVALID
