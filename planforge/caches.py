"""Every cache planforge keeps, in memory and in a cache folder, and ``forget()`` for all of them.

In memory: every module that keeps something between calls (packs and their labels, the
schema, compiled templates, parsed decks, docxtpl's cleaned XML, deflated zip entries)
registers it here with ``remember`` (or ``memo`` for a function), and ``forget()`` empties
every one of them, for tests and long-running programs (a web app, watch mode) whose packs or
specs change on disk. On disk: the folder is
``$PLANFORGE_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/planforge``, else
``~/.cache/planforge``. Everything here is optional: a folder that cannot be made or written
and a file that is missing, cut short or altered all read as "not cached", never as an error.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TypeVar

_T = TypeVar("_T")

__all__ = ["cache_dir", "forget", "forget_memory", "memo", "read_blob", "remember",
           "usable_dir", "write_blob"]

_usable: tuple[str | None, Path | None] = ("", None)
_MEMORY: list[Any] = []
_F = TypeVar("_F", bound=Callable[..., Any])


def remember(cache: _T) -> _T:
    """Register an in-memory cache so that ``forget`` empties it; return it.

    *cache* is anything with ``clear()`` (a dict), a function made with ``functools.lru_cache``
    (``cache_clear()``), or a function of no arguments that resets what a module keeps.
    """
    _MEMORY.append(cache)
    return cache


def memo(maxsize: int | None = 32) -> Callable[[_F], _F]:
    """``functools.lru_cache(maxsize)``, registered so that ``forget`` empties it."""
    def wrap(func: _F) -> _F:
        return remember(lru_cache(maxsize=maxsize)(func))  # type: ignore[return-value]

    return wrap


def forget() -> None:
    """Empty every in-memory cache planforge keeps (what is on disk stays)."""
    global _usable
    for cache in _MEMORY:
        if hasattr(cache, "cache_clear"):
            cache.cache_clear()
        elif hasattr(cache, "clear"):
            cache.clear()
        else:
            cache()
    _usable = ("", None)


#: The name this module had when it held the renderers' caches only.
forget_memory = forget


def cache_dir() -> Path | None:
    """Return the cache folder the environment variables name (None: caching is off)."""
    explicit = os.environ.get("PLANFORGE_CACHE_DIR")
    if explicit is not None:
        return Path(explicit).expanduser() if explicit.strip() else None
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "planforge"


def usable_dir() -> Path | None:
    """Return the cache folder, made if needed, or None when it cannot be written."""
    global _usable
    folder = cache_dir()
    key = str(folder) if folder is not None else None
    if _usable[0] == key:
        return _usable[1]
    usable = None
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if os.access(folder, os.R_OK | os.W_OK | os.X_OK):
                usable = folder
        except OSError:
            usable = None
    _usable = (key, usable)
    return usable


def read_blob(name: str) -> bytes | None:
    """Return the bytes stored under *name*, or None if absent or not intact."""
    folder = usable_dir()
    if folder is None:
        return None
    try:
        data = (folder / name).read_bytes()
    except OSError:
        return None
    digest, _, payload = data.partition(b"\n")
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    return payload


def write_blob(name: str, payload: bytes) -> None:
    """Store *payload* under *name* (atomically, with a checksum); failures are ignored."""
    folder = usable_dir()
    if folder is None:
        return
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        os.replace(tmp, folder / name)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
