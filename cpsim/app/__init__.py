"""The what-if workbench in the browser: a local web application over the same public API as the command line.

``cpsim app [FOLDER]`` starts it (:mod:`cpsim.commands.app`). :func:`create_app` builds the
Flask application for a folder of procedures and scenarios; :func:`serve` runs it on 127.0.0.1.
"""

from __future__ import annotations

__all__: list[str] = []
