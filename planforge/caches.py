"""Every cache planforge keeps, in memory and in a cache folder, and ``forget()`` for all of them.

In memory: every module that keeps something between calls (packs and their labels, the
schema, compiled templates, parsed decks, docxtpl's cleaned XML, deflated zip entries)
registers it here with ``remember`` (or ``memo`` for a function), and ``forget()`` empties
every one of them, for tests and long-running programs (a web app, watch mode) whose packs or
specs change on disk. On disk: the folder is
``$PLANFORGE_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/planforge``, else
``~/.cache/planforge``. Everything here is optional: a folder that cannot be made or written
and a file that is missing, cut short or altered all read as "not cached", never as an error.

The folder can be written by others than this installation (a CI cache restored from
elsewhere, a shared folder), and what it holds becomes template code. So every entry carries an
HMAC-SHA256 of its name and content under a key that never lives in the cache folder (see
``key_file``; made once, readable by its owner only): an entry this installation did not write
is ignored. A folder owned by another user, or that others may write, is not used at all
(planforge says so once, and builds without it).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TypeVar

from planforge.i18n import N_, _

_T = TypeVar("_T")

__all__ = ["cache_dir", "forget", "forget_memory", "key_file", "memo", "read_blob", "remember",
           "usable_dir", "write_blob"]

_usable: tuple[str | None, Path | None] = ("", None)
_keys: dict[str, bytes | None] = {}
_said: set[str] = set()
_MEMORY: list[Any] = [_keys, _said]
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


def key_file() -> Path:
    """Where the cache's key is kept: ``$PLANFORGE_CACHE_KEY``, else planforge's config folder.

    Never inside the cache folder: whoever can write there must not be able to read the key.
    """
    explicit = os.environ.get("PLANFORGE_CACHE_KEY", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME", "").strip()
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".config"
    return base / "planforge" / "cache.key"


def _say_once(folder: str, why: str) -> None:
    if folder not in _said:
        _said.add(folder)
        print(_("planforge: not using the template cache {folder}: {why}; building without "
                "it").format(folder=folder, why=_(why)), file=sys.stderr)


def _private(st: os.stat_result) -> str | None:
    """Why a folder or file with status *st* is not this user's alone (None: it is)."""
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return N_("it belongs to another user")
    if st.st_mode & 0o022:
        return N_("other users may write to it")
    return None


def _key() -> bytes | None:
    """This installation's cache key, made on first use (None: none can be kept: no cache)."""
    path = key_file()
    name = str(path)
    if name in _keys:
        return _keys[name]
    key = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                         0o600)
        except FileExistsError:
            fd = None
        if fd is not None:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32) + "\n")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            text = fh.read(200).strip()
        why = _private(st) or (None if stat.S_ISREG(st.st_mode) and not st.st_mode & 0o044
                               else N_("others may read its key"))
        if why is None and len(text) >= 32:
            key = text
        elif why:
            _say_once(str(cache_dir()), _("its key file {path} is not private ({why})").format(
                path=path, why=_(why)))
    except OSError:
        key = None
    _keys[name] = key
    return key


def _seal(name: str, payload: bytes, key: bytes) -> bytes:
    return hmac.new(key, name.encode() + b"\0" + payload, hashlib.sha256).hexdigest().encode()


def usable_dir() -> Path | None:
    """Return the cache folder, made if needed, or None when it cannot or must not be used."""
    global _usable
    folder = cache_dir()
    key = str(folder) if folder is not None else None
    if _usable[0] == key:
        return _usable[1]
    usable = None
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            why = _private(folder.stat())
            if key_file().resolve().is_relative_to(folder.resolve()):
                why = N_("its key file is inside it, where whoever writes the cache could read "
                         "it")
            if why:
                _say_once(str(folder), why)
            elif os.access(folder, os.R_OK | os.W_OK | os.X_OK) and _key() is not None:
                usable = folder
        except OSError:
            usable = None
    _usable = (key, usable)
    return usable


def read_blob(name: str) -> bytes | None:
    """Return the bytes stored under *name*, or None if absent, altered or not written here."""
    folder = usable_dir()
    key = _key()
    if folder is None or key is None:
        return None
    try:
        fd = os.open(folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            data = fh.read()
    except OSError:
        return None
    seal, _sep, payload = data.partition(b"\n")
    if not hmac.compare_digest(seal, _seal(name, payload, key)):
        return None
    return payload


def write_blob(name: str, payload: bytes) -> None:
    """Store *payload* under *name* (atomically, sealed with the key); failures are ignored."""
    folder = usable_dir()
    key = _key()
    if folder is None or key is None:
        return
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_seal(name, payload, key) + b"\n" + payload)
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
