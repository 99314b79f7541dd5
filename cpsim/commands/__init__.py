"""Sub-commands of the ``cpsim`` command line, one module each (found automatically)."""
