"""maskqa's command line.

``maskqa COMMAND --help`` says what a command reads and writes.
"""

from __future__ import annotations

import importlib

from .app import app

__all__ = ["app", "main"]

# One module per command group; each registers its commands on ``app``.
_COMMAND_MODULES = (
    "compare",
    "evaluate",
    "align",
    "ceiling",
    "coarsen",
    "overlay",
    "report",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    """Entry point of the ``maskqa`` console script."""
    app()
