"""The ``planforge`` command line, one module per concern.

``commands`` holds the click group ``main`` and its commands; ``batch`` builds many specs;
``initcmd`` writes a starter spec; ``templates`` is ``planforge templates``; ``outcome`` has the
exit codes and the helpers they all share (and imports none of them). ``main`` is imported
on first use, so importing ``planforge.cli.outcome`` (as a ``--jobs`` worker does) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planforge.cli.outcome import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, Outcome, emit, run_guarded

if TYPE_CHECKING:
    from planforge.cli.commands import main

__all__ = ["EXIT_INPUT", "EXIT_INTERNAL", "EXIT_OK", "Outcome", "emit", "main", "run_guarded"]


def __getattr__(name: str) -> Any:
    if name == "main":
        from planforge.cli.commands import main

        return main
    raise AttributeError(f"module 'planforge.cli' has no attribute {name!r}")
