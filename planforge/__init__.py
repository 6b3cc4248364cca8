"""planforge: one YAML spec of a brand in, a Tmall entry deck and an annual operation plan out.

The library API (the ``planforge`` command is a thin shell over it)::

    import planforge
    planforge.validate("brand.yaml")          # -> Spec, or raises SpecError with every problem
    planforge.load_plan("brand.yaml")         # -> Plan: typed model with derived figures
    planforge.check("brand.yaml")             # -> dict: figures, warnings, readiness
    planforge.render("brand.yaml")            # -> Documents: the bytes, in memory (also YAML
                                              #    text or a mapping), and the warnings
    planforge.build("brand.yaml", "out/")     # -> BuildResult: render + atomic write
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

__all__ = [
    "__version__", "build", "check", "load_plan", "render", "validate", "BuildResult",
    "Documents",
    "PlanforgeError", "SpecError", "TemplateError", "Problem",
]

if TYPE_CHECKING:  # what type checkers see: the real objects, re-exported explicitly
    from planforge.api import BuildResult as BuildResult
    from planforge.api import Documents as Documents
    from planforge.api import build as build
    from planforge.api import check as check
    from planforge.api import load_plan as load_plan
    from planforge.api import render as render
    from planforge.api import validate as validate
    from planforge.errors import PlanforgeError as PlanforgeError
    from planforge.errors import Problem as Problem
    from planforge.errors import SpecError as SpecError
    from planforge.errors import TemplateError as TemplateError

_API = {"build", "check", "load_plan", "render", "validate", "BuildResult", "Documents"}
_ERRORS = {"PlanforgeError", "SpecError", "TemplateError", "Problem"}


def __getattr__(name: str) -> Any:
    # Imported on first use so that 'planforge --help' stays fast.
    if name == "render":
        # The package planforge.render is callable as planforge.api.render (see its docstring);
        # importing it binds it here, as Python does with every subpackage.
        import planforge.render

        return planforge.render
    if name in _API:
        from planforge import api

        return getattr(api, name)
    if name in _ERRORS:
        from planforge import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'planforge' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
