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

__version__ = "0.1.0"

__all__ = [
    "__version__", "build", "check", "load_plan", "render", "validate", "BuildResult",
    "Documents",
    "PlanforgeError", "SpecError", "TemplateError", "Problem",
]

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what type checkers see; at run time the names are imported on first use
    from planforge.api import BuildResult, Documents, build, check, load_plan, render, validate
    from planforge.errors import PlanforgeError, Problem, SpecError, TemplateError

_API = {"build", "check", "load_plan", "render", "validate", "BuildResult", "Documents"}
_ERRORS = {"PlanforgeError", "SpecError", "TemplateError", "Problem"}


def __getattr__(name: str):
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
