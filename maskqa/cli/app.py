"""The typer application that every command module registers on."""

from __future__ import annotations

import typer

__all__ = ["EXIT_FAILURES", "EXIT_OK", "EXIT_USAGE", "app"]

#: Exit codes: every item scored / some items failed / bad usage or unreadable input.
EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="maskqa",
    help="Compare coarse and fine segmentation masks and report the accuracy ceiling "
    "that coarse or inconsistent annotation imposes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
