"""The what-if workbench in the browser: a local web application over the same public API as the command line.

``cpsim app [FOLDER]`` starts it (:mod:`cpsim.commands.app`). :func:`create_app` builds the
Flask application for a folder of procedures and scenarios; :func:`make_local_server` binds it to
127.0.0.1 and :func:`serve` answers requests until Ctrl-C. Modules: ``workspace`` (the folder),
``controls`` and ``whatif`` (the form and the scenario file it makes), ``jobs`` and ``outcome``
(runs off the request thread and what they show), ``procedure_page`` and ``checking`` (what the
reading pages show), ``pages`` and ``runs`` (the request handlers), ``server``.
"""

from __future__ import annotations

from cpsim.app.server import create_app, make_local_server, serve

__all__ = ["create_app", "make_local_server", "serve"]
