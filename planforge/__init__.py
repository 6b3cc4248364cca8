"""planforge: one YAML spec of a brand in, a Tmall entry deck and an annual operation plan out.

The library API (the ``planforge`` command is a thin shell over it)::

    import planforge
    planforge.validate("brand.yaml")          # -> Spec, or raises SpecError with every problem
    planforge.load_plan("brand.yaml")         # -> Plan: typed model with derived figures
    planforge.check("brand.yaml")             # -> dict: figures, warnings, readiness
    planforge.build("brand.yaml", "out/")     # -> BuildResult: the files written
"""

__version__ = "0.1.0"

__all__ = [
    "__version__", "build", "check", "load_plan", "validate", "BuildResult",
    "PlanforgeError", "SpecError", "TemplateError", "Problem",
]

_API = {"build", "check", "load_plan", "validate", "BuildResult"}
_ERRORS = {"PlanforgeError", "SpecError", "TemplateError", "Problem"}


def __getattr__(name: str):
    # Imported on first use so that 'planforge --help' stays fast.
    if name in _API:
        from planforge import api

        return getattr(api, name)
    if name in _ERRORS:
        from planforge import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'planforge' has no attribute {name!r}")
