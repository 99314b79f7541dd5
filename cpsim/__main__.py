"""Allow ``python -m cpsim``."""

from cpsim.cli import main

raise SystemExit(main())
