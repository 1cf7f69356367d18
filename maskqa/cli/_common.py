"""What every command shares: error reporting, exit codes, output formats."""

from __future__ import annotations

import enum
import functools
import json
import logging
import math
import sys
from collections.abc import Callable, Mapping

import typer
from rich.console import Console

from ..errors import MaskQAError
from .app import EXIT_USAGE

__all__ = ["OutputFormat", "dumps_json", "format_value", "guarded", "stderr", "stdout"]

stdout = Console()
stderr = Console(stderr=True)


class OutputFormat(str, enum.Enum):
    """How a command prints its result."""

    table = "table"
    json = "json"
    csv = "csv"


def guarded(command: Callable) -> Callable:
    """Turn library errors into one red line on stderr and exit code 2.

    The wrapped command must take a ``debug`` keyword: with ``--debug`` the traceback
    is shown instead.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        debug = kwargs.get("debug", False)
        logging.basicConfig(
            level=logging.DEBUG if debug else logging.WARNING,
            format="%(levelname)s %(name)s: %(message)s",
        )
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except (MaskQAError, OSError) as exc:
            if debug:
                raise
            stderr.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_USAGE) from None

    return wrapper


def format_value(value) -> str:
    """A metric value for a table: 4 significant decimals, inf and nan spelled out."""
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return f"{value:.4f}"
    return str(value)


def _safe(value):
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, Mapping):
        return {k: _safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_safe(v) for v in value]
    if hasattr(value, "item"):
        return _safe(value.item())
    return value


def dumps_json(data) -> str:
    """JSON text with inf and nan as the strings "inf" and "nan" (valid JSON)."""
    return json.dumps(_safe(data), indent=1)


def write_stdout(text: str) -> None:
    """Write machine-readable output to stdout, not through rich (no wrapping)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
