"""Messages in the user's language: gettext catalogs for zh-CN and en, read with Babel.

Wrap every user-facing message in ``_()`` (and mark module-level constants with ``N_()``, then
translate them where they are used with ``_()``); placeholders are ``{name}`` fields filled with
``.format()`` *after* translation, so that a translator may move them::

    from planforge.i18n import _
    raise SpecError(_("{file}: no such file").format(file=fname))

Which language: ``--lang`` (:func:`set_language`) or ``PLANFORGE_LANG`` when given; else, for
what is about a spec,
the spec's ``meta.locale`` (:func:`spec_language`); else the environment (``LC_ALL``,
``LC_MESSAGES``, ``LANG``, ``LANGUAGE``); else English.

The catalogs are the ``.po`` files in ``planforge/locale/<lang>/LC_MESSAGES/planforge.po``,
read at run time (no compiled ``.mo`` files in the repository). ``python tools/i18n.py
extract`` collects the messages with Babel; ``tests/test_i18n.py`` fails when one lacks a
translation.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("zh-CN", "en")
DEFAULT = "en"
DOMAIN = "planforge"
LOCALE_DIR = Path(__file__).with_name("locale")

_explicit: ContextVar[str | None] = ContextVar("planforge_lang_explicit", default=None)
_spec: ContextVar[str | None] = ContextVar("planforge_lang_spec", default=None)


def normalize(lang: str | None) -> str | None:
    """Map ``zh_CN.UTF-8``, ``zh-Hans``, ``zh``, ``en_US`` ... to a supported language, or None."""
    if not lang:
        return None
    text = lang.strip().split(".")[0].split("@")[0].replace("_", "-").lower()
    if text in ("c", "posix", ""):
        return "en"
    if text.startswith("zh"):
        # Traditional Chinese readers get Simplified rather than English: closer to them.
        return "zh-CN"
    if text.startswith("en"):
        return "en"
    return None


def environment_language() -> str:
    """The language the environment asks for, as gettext reads it; English when none fits."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return normalize(value) or DEFAULT
    for part in os.environ.get("LANGUAGE", "").split(":"):
        if normalize(part):
            return normalize(part) or DEFAULT
    return DEFAULT


def language() -> str:
    """The language messages are written in now."""
    return (
        _explicit.get()
        or normalize(os.environ.get("PLANFORGE_LANG"))
        or _spec.get()
        or environment_language()
    )


def set_language(lang: str | None) -> None:
    """Choose the language for the rest of this process (``--lang``); None to follow the rest.

    It is also put in ``PLANFORGE_LANG``, so that worker processes (``build --jobs``) follow it.
    """
    _explicit.set(normalize(lang) if lang else None)
    if lang:
        os.environ["PLANFORGE_LANG"] = normalize(lang) or DEFAULT
    else:
        os.environ.pop("PLANFORGE_LANG", None)


def current_spec_language() -> str | None:
    """The language of the spec being worked on (:func:`spec_language`), if one is set."""
    return _spec.get()


def explicit_language() -> str | None:
    """The language asked for by ``--lang`` or :func:`using` in this context, if any."""
    return _explicit.get()


@contextmanager
def using(lang: str | None) -> Iterator[None]:
    """Within the block, write messages in ``lang`` (as ``--lang`` would)."""
    token = _explicit.set(normalize(lang) if lang else None)
    try:
        yield
    finally:
        _explicit.reset(token)


_LOCALE_LINE = re.compile(r"(?:^|[{,\s])locale\s*:\s*[\"']?([A-Za-z_-]+)", re.MULTILINE)


def peek_locale(text: str) -> str | None:
    """The ``meta.locale`` a spec's text declares, found without parsing (also in broken YAML)."""
    m = _LOCALE_LINE.search(text)
    return normalize(m.group(1)) if m else None


@contextmanager
def spec_language(source: str | Path | None = None, *, locale: str | None = None) -> Iterator[None]:
    """Within the block, messages about a spec follow its ``meta.locale`` (unless ``--lang``).

    ``source`` is the spec's path (its beginning is read to find ``locale:``) or ``locale`` the
    locale itself.
    """
    found = normalize(locale) if locale else None
    if found is None and source is not None:
        try:
            # Without blocking, regular files only: a FIFO or /dev/zero given as the spec must
            # reach the loader's refusal instead of hanging here.
            import os
            import stat

            fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as fh:
                if stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                    found = peek_locale(fh.read(65536).decode("utf-8", "replace"))
        except OSError:
            found = None
    token = _spec.set(found)
    try:
        yield
    finally:
        _spec.reset(token)


@lru_cache(maxsize=None)
def catalog(lang: str, domain: str = DOMAIN) -> dict[str, str | tuple[str, ...]]:
    """The translations of ``lang``: msgid (or (singular, plural)) -> msgstr, from its .po file
    (``domain`` "click" holds click's own strings: "Usage:", "No such option: {name}", ...)."""
    from babel.messages.pofile import read_po

    po = LOCALE_DIR / lang.replace("-", "_") / "LC_MESSAGES" / f"{domain}.po"
    if not po.is_file():
        return {}
    with po.open("rb") as fh:
        cat = read_po(fh, locale=lang.replace("-", "_"))
    out: dict = {}
    for msg in cat:
        if not msg.id or msg.fuzzy:
            continue
        if isinstance(msg.id, tuple):
            strings = tuple(msg.string or ())
            if all(strings):
                out[msg.id[0]] = strings
        elif msg.string:
            out[msg.id] = msg.string
    return out


def gettext(message: str) -> str:
    """Translate ``message`` into the current language (English text is the message itself)."""
    lang = language()
    if lang == DEFAULT:
        return message
    found = catalog(lang).get(message)
    return found if isinstance(found, str) else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that has a plural form (Chinese has one form for every number)."""
    lang = language()
    if lang != DEFAULT:
        found = catalog(lang).get(singular)
        if isinstance(found, tuple) and found:
            return found[0]
    return singular if n == 1 else plural


def click_gettext(message: str) -> str:
    """click's own strings in the current language (English when the catalog lacks one)."""
    lang = language()
    if lang == DEFAULT:
        return message
    found = catalog(lang, "click").get(message)
    return found if isinstance(found, str) else message


def click_ngettext(singular: str, plural: str, n: int) -> str:
    lang = language()
    if lang != DEFAULT:
        found = catalog(lang, "click").get(singular)
        if isinstance(found, tuple) and found:
            return found[0]
    return singular if n == 1 else plural


def click_english(text: str) -> str:
    """The English msgid of one of click's texts, also when it was made in another language.

    click fills some texts in once, in the language of that moment: the ``help`` of
    ``version_option`` when the command tree is defined, the help option's when a command first
    shows it (then cached). Mapping them back lets a later command line show them anew.
    """
    for lang in LANGUAGES:
        if lang != DEFAULT:
            english = _click_reverse(lang).get(text)
            if english is not None:
                return english
    return text


@lru_cache(maxsize=None)
def _click_reverse(lang: str) -> dict[str, str]:
    return {
        str(value): key for key, value in catalog(lang, "click").items() if isinstance(value, str)
    }


#: click's modules that call ``gettext`` for the texts they show ("Usage:", "Error: ...").
CLICK_MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "shell_completion",
    "termui",
    "types",
    "utils",
)


def route_click() -> None:
    """Let click's messages follow planforge's language.

    click marks its texts with the standard library's ``gettext`` (module-level ``_`` and
    ``ngettext`` names in its modules); these are pointed at :func:`click_gettext` and
    :func:`click_ngettext`, which read ``locale/<lang>/LC_MESSAGES/click.po`` (made from the
    installed click by ``tools/i18n.py click``). A string click adds later stays English.
    """
    import importlib

    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:
            continue
        if callable(getattr(module, "_", None)):
            module._ = click_gettext  # type: ignore[attr-defined]
        if callable(getattr(module, "ngettext", None)):
            module.ngettext = click_ngettext  # type: ignore[attr-defined]
    try:
        import click.formatting as formatting
    except ImportError:
        return
    # Help columns line up by the width a terminal gives the text: a Chinese character takes two
    # columns ("--rules 文件" is 12 wide, not 10).
    formatting.term_len = display_width  # type: ignore[assignment]
    # And help text wraps at the terminal's width: click's wrapper counts characters, so a line
    # of Chinese ran to twice the width. Its measure and its cut of an over-long chunk (Chinese
    # has no spaces to break at) go by columns too. Both are click internals (click 8.2-8.3).
    try:
        import click._textwrap as textwrap
    except ImportError:
        return
    if hasattr(textwrap, "term_len"):
        textwrap.term_len = display_width  # type: ignore[assignment]
    if hasattr(textwrap, "_truncate_visible"):
        textwrap._truncate_visible = _cut_to_columns


_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def display_width(text: str) -> int:
    """How many terminal columns ``text`` takes (wide East Asian characters take two)."""
    import unicodedata

    plain = _ANSI.sub("", text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in plain)


def _cut_to_columns(text: str, n: int) -> str:
    """The longest start of ``text`` that takes at most ``n`` terminal columns (at least one
    character, so that wrapping always moves on); escape sequences are kept whole."""
    import unicodedata

    used, i, cut = 0, 0, 0
    while i < len(text):
        escape = _ANSI.match(text, i)
        if escape:
            i = escape.end()
            continue
        width = 2 if unicodedata.east_asian_width(text[i]) in "WF" else 1
        if used + width > n and cut:
            break
        used += width
        i += 1
        cut = i
        if used >= n:
            break
    return text[:cut]


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet (module-level constants)."""
    return message


_ = gettext
