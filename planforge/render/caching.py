"""What planforge keeps of the work it did for a template: in memory, and in a cache folder.

In memory: the caches the renderers register with ``remember`` (``forget_memory`` empties them
all, for tests and long-running programs that replace templates). On disk: the folder is
``$PLANFORGE_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/planforge``, else
``~/.cache/planforge``. Everything here is optional: a folder that cannot be made or written
and a file that is missing, cut short or altered all read as "not cached", never as an error.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "forget_memory", "read_blob", "remember", "usable_dir", "write_blob"]

_usable: tuple[str | None, Path | None] = ("", None)
_MEMORY: list[Any] = []


def remember(cache: Any) -> Any:
    """Register an in-memory cache (anything with ``clear()``) so ``forget_memory`` empties it."""
    _MEMORY.append(cache)
    return cache


def forget_memory() -> None:
    """Empty every registered in-memory cache (what is on disk stays)."""
    for cache in _MEMORY:
        cache.clear()


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
