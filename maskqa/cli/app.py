"""The typer application that every command module registers on."""

from __future__ import annotations

import typer

__all__ = [
    "EXIT_FAILURES",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "app",
]

#: Exit codes: every item scored / some items failed / bad usage or unreadable input /
#: an internal error (a bug in maskqa: please report it).
EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
#: Interrupted by the user (Ctrl-C): 128 + SIGINT, as shells report it.
EXIT_INTERRUPTED = 130

app = typer.Typer(
    name="maskqa",
    help="Compare coarse and fine segmentation masks and report the accuracy ceiling "
    "that coarse or inconsistent annotation imposes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"maskqa {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Compare coarse and fine segmentation masks and report the accuracy ceiling
    that coarse or inconsistent annotation imposes."""
