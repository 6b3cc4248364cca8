"""The renderers (template pack -> pptx / docx), and ``planforge.render`` the function.

``planforge.render(spec, ...)`` is the in-memory API (``planforge.api.render``). This package
has the same name, and Python binds a package's subpackages as its attributes once they are
imported, so the package itself is made callable: ``planforge.render(...)`` renders whether or
not ``planforge.render.deck`` has been imported yet.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _RenderPackage(types.ModuleType):
    """This package, callable as ``planforge.api.render``."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from planforge.api import render

        return render(*args, **kwargs)


sys.modules[__name__].__class__ = _RenderPackage
