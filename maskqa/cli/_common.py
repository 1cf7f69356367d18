"""What every command shares: error reporting, exit codes, output formats."""

from __future__ import annotations

import contextlib
import enum
import functools
import json
import logging
import math
import sys
import traceback
import warnings
from collections.abc import Callable

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from .._json import jsonable
from ..errors import MaskQAError
from .app import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE

__all__ = [
    "OutputFormat",
    "dumps_json",
    "format_value",
    "guarded",
    "progress_bar",
    "stderr",
    "stdout",
]

stdout = Console()
stderr = Console(stderr=True)


class OutputFormat(str, enum.Enum):
    """How a command prints its result."""

    table = "table"
    json = "json"
    csv = "csv"


def guarded(command: Callable) -> Callable:
    """Run a command the way every maskqa command runs.

    Library errors become one red line on stderr and exit code 2; an unexpected
    exception (a bug) becomes one line and exit code 3. Warnings and the runner's
    log lines are printed one per line through rich, so they do not break the
    progress bar. The wrapped command must take a ``debug`` keyword: with
    ``--debug`` the traceback is printed first; the exit code is the same.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        debug = kwargs.get("debug", False)
        _configure_output(debug)
        try:
            return command(*args, **kwargs)
        except KeyboardInterrupt:
            # Rows are written as they finish: say what is kept and how to go on.
            hint = " rerun with --resume to continue;" if "resume" in kwargs else ""
            stderr.print(
                f"[red]interrupted:[/red]{hint} what was written is kept",
                highlight=False,
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (typer.Exit, typer.Abort):
            raise
        except (MaskQAError, OSError) as exc:
            if debug:
                traceback.print_exc()
            stderr.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_USAGE) from None
        except Exception as exc:  # noqa: BLE001 - a bug: say so in one line
            if debug:
                traceback.print_exc()
            stderr.print(
                f"[red]internal error:[/red] {type(exc).__name__}: {exc} (rerun with "
                "--debug for the traceback, and please report it)",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def _one_line_warning(message, category, filename, lineno, line=None) -> str:
    return f"{category.__name__}: {message}"


def _configure_output(debug: bool) -> None:
    handler = RichHandler(
        console=stderr,
        show_time=False,
        show_path=False,
        markup=False,
        rich_tracebacks=False,
    )
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(message)s",
        handlers=[handler],
        force=True,
    )
    if not debug:
        warnings.formatwarning = _one_line_warning
    logging.captureWarnings(True)


def format_value(value) -> str:
    """A metric value for a table: 4 significant decimals, inf and nan spelled out."""
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return f"{value:.4f}"
    return str(value)


def dumps_json(data) -> str:
    """JSON text with inf and nan as the strings "inf" and "nan" (valid JSON)."""
    return json.dumps(jsonable(data), indent=1)


@contextlib.contextmanager
def progress_bar(description: str, total: int):
    """A progress bar on stderr; yields ``advance(label)`` to call after each item."""
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as bar:
        job = bar.add_task(description, total=total)

        def advance(label: str = "") -> None:
            text = f"{description} ({label})" if label else description
            bar.update(job, advance=1, description=text)

        yield advance


def write_stdout(text: str) -> None:
    """Write machine-readable output to stdout, not through rich (no wrapping)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``"1 pair"``, ``"2 pairs"``: a count with its noun in the right number."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"
