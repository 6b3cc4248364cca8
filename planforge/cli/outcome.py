"""What every command shares: exit codes, one spec's outcome, errors turned into messages.

The commands (``planforge.cli.commands``, ``batch``, ``initcmd``, ``templates``) import this
module; it imports none of them, so no command module imports back up.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

import click

from planforge.errors import PlanforgeError
from planforge.i18n import _

__all__ = ["EXIT_INPUT", "EXIT_INTERNAL", "EXIT_OK", "Outcome", "emit", "run_guarded"]

EXIT_OK, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 70


class Outcome:
    """The result of one spec's command: an exit code and lines for stdout / stderr."""

    def __init__(self, code: int = EXIT_OK, out: list[str] | None = None, err: list[str] | None = None):
        self.code, self.out, self.err = code, out or [], err or []


def run_guarded(func: Callable[..., Any], *args: Any, debug: bool = False, reraise: bool = False,
                **kwargs: Any) -> tuple[Any, Outcome]:
    """Call ``func``; turn planforge errors into messages and anything else into exit 70.

    With ``reraise``, planforge errors propagate (for callers that report their problems
    as records, not as text).
    """
    try:
        return func(*args, **kwargs), Outcome()
    except PlanforgeError as e:
        if reraise:
            raise
        return None, Outcome(e.exit_code, err=[e.format()])
    except KeyboardInterrupt:
        raise
    except Exception as e:  # a bug in planforge: say so briefly, details on request
        lines = [_("planforge: internal error: {error}").format(error=f"{type(e).__name__}: {e}")]
        if debug:
            lines.insert(0, traceback.format_exc().rstrip())
        else:
            lines.append(_("This is a bug in planforge. Run again with --debug for the traceback "
                           "and report it."))
        return None, Outcome(EXIT_INTERNAL, err=lines)


def emit(outcome: Outcome) -> None:
    """Print an outcome's lines: ``out`` to stdout, ``err`` to stderr."""
    for line in outcome.out:
        click.echo(line)
    for line in outcome.err:
        click.echo(line, err=True)
