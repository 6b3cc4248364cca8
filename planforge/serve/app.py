"""The web app's HTTP side: the page, its static files, and the JSON API the page itself uses.

``POST /api/check`` and ``POST /api/build`` take a spec as YAML (or JSON, as the page sends it,
or a zip of a spec folder with its images). Each request is validated and built in its own
temporary folder, in a worker thread, at most ``LIMITS.builds`` at a time; a spec that fails
answers 422 with the same problem records as the command line, and the server goes on.
``/api/check`` answers with the envelope of ``check --format json``.

Messages are in the language the page shows (it sends ``Accept-Language: zh-CN`` or ``en``;
a ``lang`` query parameter wins), else the spec's ``meta.locale``, else the server's. The
language is a context variable, so requests in different languages at once do not mix.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from planforge import i18n
from planforge.diagnostics import envelope, error_code
from planforge.errors import PlanforgeError, Problem
from planforge.i18n import _
from planforge.serve.workspace import (
    IMAGE_SUFFIXES, Limits, is_zip, place_spec, request_folder,
)

STATIC = Path(__file__).with_name("static")
LIMITS = Limits()
MEDIA = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
#: Host names of this machine (``planforge serve --host`` widens them).
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
#: Builds running at once; more requests wait their turn (the page stays responsive).
MAX_BUILDS = 2


class TooLarge(Exception):
    pass


@dataclass
class ServerState:
    """Where the spec being edited lives (the folder its images are relative to)."""

    folder: Path
    spec: Path                          # the file 'Save' writes (may not exist yet)
    limits: Limits = LIMITS
    fixed: bool = False                 # the spec was named on the command line


def create_app(spec: Path | None = None, folder: Path | None = None, *,
               limits: Limits = LIMITS, hosts: tuple[str, ...] | None = LOCAL_NAMES) -> Starlette:
    """Build the app for ``spec`` (edited in place) or a new spec in ``folder`` (default: cwd).

    ``hosts``: the host names requests may be addressed to (this machine's by default, which
    keeps a web page elsewhere from reaching the app through DNS rebinding); None allows any.
    """
    fixed = spec is not None
    if spec is not None:
        spec = spec.resolve()
        folder = spec.parent
    else:
        folder = (folder or Path.cwd()).resolve()
        spec = folder / "brand.yaml"
    state = ServerState(folder=folder, spec=spec, limits=limits, fixed=fixed)
    builds = threading.BoundedSemaphore(MAX_BUILDS)
    thumbs = Thumbnails()

    async def read_body(request: Request, limit: int | None = None) -> bytes:
        limit = limit or state.limits.body_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise TooLarge(limit)
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise TooLarge(limit)
            chunks.append(chunk)
        return b"".join(chunks)

    async def spec_body(request: Request) -> tuple[bytes, str]:
        body = await read_body(request)
        ctype = request.headers.get("content-type", "")
        if "json" in ctype:
            from planforge.serve.specfile import dump_yaml

            try:
                body = dump_yaml(json.loads(body.decode("utf-8"))).encode("utf-8")
            except (ValueError, UnicodeDecodeError) as e:
                raise PlanforgeError(
                    _("the request body is not valid JSON: {error}").format(error=e)) from None
        return body, ctype

    def guarded(handler):
        async def endpoint(request: Request) -> Response:
            # Messages in the page's language for this request only (a context variable: each
            # request is its own task, and the worker threads get a copy of its context).
            with i18n.using(request_language(request)):
                return await answer(request)

        async def answer(request: Request) -> Response:
            origin = request.headers.get("origin")
            if request.method in ("POST", "PUT") and origin and \
                    origin.split("://", 1)[-1] != request.headers.get("host"):
                # Another site's page, posting to this machine: refused.
                return JSONResponse({"errors": [_problem_dict(
                    _("requests from {origin} are not accepted").format(origin=origin), state)]},
                    status_code=403)
            try:
                return await handler(request)
            except TooLarge as e:
                return JSONResponse({"errors": [_problem_dict(
                    _("the upload is larger than the limit of {limit} bytes").format(
                        limit=f"{e.args[0]:,}"), state)]},
                    status_code=413)
            except PlanforgeError as e:
                return JSONResponse({"file": state.spec.name, "errors": _errors(e, state)},
                                    status_code=422)
            except Exception as e:  # a bug in planforge: say so; the server goes on
                import logging
                import traceback

                logging.getLogger("planforge.serve").error(traceback.format_exc())
                return JSONResponse({"errors": [_problem_dict(
                    _("internal error: {error} (a bug in planforge; the server's output has "
                      "the traceback)").format(error=f"{type(e).__name__}: {e}"), state)]},
                    status_code=500)
        return endpoint

    async def run_locked(func, *args):
        # In a worker thread, at most MAX_BUILDS at once, in the request's language (taken
        # here, in the request's task, and set again in the thread whatever runs it).
        lang = i18n.explicit_language()

        def work():
            with builds, i18n.using(lang):
                return func(*args)

        return await run_in_threadpool(work)

    # -- pages and metadata ---------------------------------------------------------------

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    async def schema(request: Request) -> Response:
        from planforge.resources import schema_file

        return Response(schema_file().read_bytes(), media_type="application/schema+json")

    async def labels(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(_enum_labels))

    async def get_spec(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(_current_spec, state))

    async def save(request: Request) -> Response:
        from planforge.serve.specfile import save_spec

        body = await read_body(request)
        try:
            data = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            raise PlanforgeError(
                _("the request body is not valid JSON: {error}").format(error=e)) from None
        if not isinstance(data, dict):
            raise PlanforgeError(_("the spec to save must be a JSON object"))
        text = await run_in_threadpool(save_spec, state.spec, data)
        return JSONResponse({"saved": state.spec.name, "bytes": len(text.encode("utf-8"))})

    async def open_spec(request: Request) -> Response:
        """Read an uploaded YAML spec for the form (it is saved only when the user saves)."""
        body = await read_body(request)
        name = _safe_name(request.query_params.get("name") or "brand.yaml", (".yaml", ".yml"))
        got = await run_in_threadpool(_read_upload, body, name, state)
        if not state.fixed:
            state.spec = state.folder / name   # Save writes the opened spec's name
        got["name"] = state.spec.name
        return JSONResponse(got)

    async def upload_image(request: Request) -> Response:
        body = await read_body(request, state.limits.image_bytes)
        name = _safe_name(request.query_params.get("name") or "image.png", tuple(IMAGE_SUFFIXES))
        if not (body.startswith(b"\x89PNG\r\n\x1a\n") or body.startswith(b"\xff\xd8\xff")):
            raise PlanforgeError(_("{name}: not a PNG or JPEG image").format(name=name))
        target = state.folder / "assets" / name
        from planforge.write import atomic_write_many

        await run_in_threadpool(lambda: (target.parent.mkdir(parents=True, exist_ok=True),
                                         atomic_write_many({target: body})))
        return JSONResponse({"path": f"assets/{name}"})

    async def asset(request: Request) -> Response:
        """An image of the spec's folder, for the form's thumbnails (only inside the folder)."""
        rel = request.path_params["path"]
        root = state.folder.resolve()
        target = (root / rel).resolve()
        if (not target.is_relative_to(root) or target.suffix.lower() not in IMAGE_SUFFIXES
                or not target.is_file()):
            return Response(status_code=404)
        return FileResponse(target)

    # -- check, build, preview ------------------------------------------------------------

    async def check(request: Request) -> Response:
        # The same envelope as `check --format json` ({"version": 1, "files": [...]}): 200 with
        # figures and warnings when the spec is valid, 422 with its errors when it is not.
        body, ctype = await spec_body(request)
        entry = await run_locked(_check, body, ctype, state)
        return JSONResponse(envelope([entry]),
                            status_code=422 if entry["status"] == "invalid" else 200)

    async def build(request: Request) -> Response:
        fmt = request.query_params.get("format", "pptx")
        doc = request.query_params.get("doc", "deck")
        if fmt not in MEDIA or doc not in ("deck", "plan"):
            return JSONResponse({"errors": [_problem_dict(
                _("unknown format {format}; choose pptx, docx, pdf (with doc=deck or doc=plan) "
                  "or xlsx").format(format=repr(fmt)), state)]}, status_code=400)
        body, ctype = await spec_body(request)
        data, name = await run_locked(_build, body, ctype, state, fmt, doc)
        return Response(data, media_type=MEDIA[fmt], headers={
            "Content-Disposition": f'attachment; filename="{name}"'})

    async def preview(request: Request) -> Response:
        body, ctype = await spec_body(request)
        pptx = (await run_locked(_build, body, ctype, state, "pptx",
                                        "deck"))[0]
        key = hashlib.sha256(pptx).hexdigest()[:20]
        outline = await run_in_threadpool(_outline, pptx)
        available = thumbs.start(key, pptx)
        return JSONResponse({"key": key, "slides": outline, "thumbnails": available})

    async def thumb_status(request: Request) -> Response:
        return JSONResponse(thumbs.status(request.path_params["key"]))

    async def thumb(request: Request) -> Response:
        png = thumbs.image(request.path_params["key"], int(request.path_params["n"]))
        if png is None:
            return Response(status_code=404)
        return Response(png, media_type="image/png",
                        headers={"Cache-Control": "max-age=3600"})

    routes = [
        Route("/", index),
        Route("/api/schema", schema),
        Route("/api/labels", labels),
        Route("/api/spec", guarded(get_spec), methods=["GET"]),
        Route("/api/spec", guarded(save), methods=["PUT", "POST"]),
        Route("/api/open", guarded(open_spec), methods=["POST"]),
        Route("/api/image", guarded(upload_image), methods=["POST"]),
        Route("/api/check", guarded(check), methods=["POST"]),
        Route("/api/build", guarded(build), methods=["POST"]),
        Route("/api/preview", guarded(preview), methods=["POST"]),
        Route("/api/thumbs/{key:str}", thumb_status),
        Route("/api/thumbs/{key:str}/{n:int}.png", thumb),
        Route("/assets/{path:path}", asset),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = []
    if hosts is not None:
        from starlette.middleware import Middleware
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts)))
    app = Starlette(routes=routes, middleware=middleware)
    app.state.planforge = state
    return app


def request_language(request: Request) -> str | None:
    """The language the page asks for: ``?lang=``, else the first of ``Accept-Language`` that
    planforge speaks (by its weight); None leaves it to the spec's meta.locale."""
    asked = request.query_params.get("lang")
    if asked and i18n.normalize(asked):
        return i18n.normalize(asked)
    ranked = []
    for n, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        lang = i18n.normalize(tag) if tag and tag != "*" else None
        if lang and weight > 0:
            ranked.append((-weight, n, lang))
    return min(ranked)[2] if ranked else None


# -- the work each request does (in a worker thread) ----------------------------------------

def _check(body: bytes, ctype: str, state: ServerState) -> dict:
    """The envelope's entry for the request's spec, checked as `planforge check` checks it."""
    from planforge import api
    from planforge.diagnostics import file_entry, from_record

    with request_folder() as folder, _spec_language(body, ctype):
        try:
            spec = _spec_input(body, ctype, state, folder)
            report = api.check(spec)
        except PlanforgeError as e:
            return file_entry(state.spec.name, None, _problems(e, state))
        warnings = [from_record(w) for w in report["warnings"]]
        entry = file_entry(state.spec.name, _relabel(report, folder, state), warnings)
        return _relabel(entry, folder, state)


def _build(body: bytes, ctype: str, state: ServerState, fmt: str, doc: str) -> tuple[bytes, str]:
    from planforge import api

    with request_folder() as folder, _spec_language(body, ctype):
        if is_zip(body, ctype):
            source = place_spec(body, ctype, folder, name=state.spec.name, source_dir=None,
                                limits=state.limits)
            docs = api.render(source, formats=("pdf",) if fmt == "pdf" else (fmt,))
            stem = source.stem
        else:
            docs = api.render(body, formats=("pdf",) if fmt == "pdf" else (fmt,),
                              base_dir=state.folder, name=state.spec.name)
            stem = state.spec.stem
        key = f"{doc}-pdf" if fmt == "pdf" else fmt
        name = api.output_paths(Path(f"{stem}.yaml"), Path("."), (fmt,))[key].name
        return docs.files[key], name


def _spec_input(body: bytes, ctype: str, state: ServerState, folder: Path):
    """The request's spec: YAML read as if it stood in the server's folder (its images are
    there), or a zip unpacked into the request's own folder."""
    from planforge.loader import load_spec, parse_spec_bytes

    if is_zip(body, ctype):
        source = place_spec(body, ctype, folder, name=state.spec.name, source_dir=None,
                            limits=state.limits)
        with i18n.spec_language(source):
            return load_spec(source)
    return parse_spec_bytes(body, state.folder / state.spec.name)


def _spec_language(body: bytes, ctype: str):
    """Messages about a YAML spec in its meta.locale (when the page named no language)."""
    if is_zip(body, ctype):
        return i18n.spec_language()
    return i18n.spec_language(locale=i18n.peek_locale(body[:65536].decode("utf-8", "replace")))


def _relabel(report: Any, folder: Path, state: ServerState) -> Any:
    """Name files relative to their folder (the page has no use for this machine's paths)."""
    if isinstance(report, dict):
        return {k: _relabel(v, folder, state) if k == "file" or isinstance(v, (dict, list))
                else v for k, v in report.items()}
    if isinstance(report, list):
        return [_relabel(v, folder, state) for v in report]
    if isinstance(report, str):
        return _shown_file(report, folder, state)
    return report


def _shown_file(name: str, folder: Path | None, state: ServerState) -> str:
    for root in (folder, state.folder):
        if root is not None and name.startswith(str(root)):
            return name[len(str(root)):].lstrip("/\\") or name
    return name


def _problem_dict(message: str, state: ServerState) -> dict:
    return Problem(state.spec.name, 0, 0, "", message).to_dict()


def _problems(e: PlanforgeError, state: ServerState) -> list[Problem]:
    """The error's problems, naming files as the user knows them (never the server's folders)."""
    if not e.problems:
        text = (e.message or str(e)).replace(str(state.folder) + "/", "")
        text = re.sub(r"/[^\s:]*planforge-serve-[^/\s:]+/", "", text)
        return [Problem(state.spec.name, 0, 0, "", text, code=error_code(e))]
    return [replace(p, file=_shown_file(re.sub(r"^.*planforge-serve-[^/]+/", "", p.file),
                                        None, state)) for p in e.problems]


def _errors(e: PlanforgeError, state: ServerState) -> list[dict]:
    return [p.to_dict() for p in _problems(e, state)]


def _current_spec(state: ServerState) -> dict:
    from planforge.loader import load_spec
    from planforge.serve.specfile import to_json_data

    if not state.spec.is_file():
        return {"name": state.spec.name, "exists": False, "data": None}
    text = state.spec.read_text(encoding="utf-8", errors="replace")
    try:
        with i18n.spec_language(state.spec):
            data = to_json_data(load_spec(state.spec).data)
    except PlanforgeError as e:
        return {"name": state.spec.name, "exists": True, "data": None, "text": text,
                "errors": _errors(e, state)}
    return {"name": state.spec.name, "exists": True, "data": data, "text": text}


def _read_upload(body: bytes, name: str, state: ServerState) -> dict:
    from planforge.loader import _decode, parse_spec
    from planforge.serve.specfile import to_json_data

    text = _decode(body, name)
    data = to_json_data(parse_spec(text, name).data)
    return {"name": name, "data": data, "text": text}


def _safe_name(name: str, suffixes: tuple[str, ...]) -> str:
    """A plain file name (no folders, no dot files) with one of ``suffixes``."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\-]+", "-", base).strip(".-") or "file"
    if Path(base).suffix.lower() not in suffixes:
        raise PlanforgeError(_("{name}: expected a file ending in {suffixes}").format(
            name=name, suffixes=", ".join(suffixes)))
    return base


def _enum_labels() -> dict:
    """Labels of the schema's enum values in both UI languages, from the default pack."""
    from planforge.packs import find_pack

    pack = find_pack("default")
    out = {}
    for locale in ("zh-CN", "en"):
        labels = pack.labels(locale)
        groups = [v for v in labels.values() if isinstance(v, dict)
                  and all(isinstance(x, str) for x in v.values())]
        groups += [v for v in (labels.get("fields") or {}, ) if isinstance(v, dict)]
        out[locale] = groups
    return out


def _outline(pptx: bytes) -> list[dict]:
    """Slide titles and table sizes: the preview when there are no thumbnails (yet)."""
    import io

    from pptx import Presentation

    slides = []
    for n, slide in enumerate(Presentation(io.BytesIO(pptx)).slides, start=1):
        title, texts, tables, charts = "", [], [], 0
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                text = shape.text_frame.text.strip().splitlines()[0]
                if shape.is_placeholder and "title" in str(shape.placeholder_format.type).lower():
                    title = title or text
                texts.append(text)
            if shape.has_table:
                rows = list(shape.table.rows)
                header = [c.text for c in rows[0].cells] if rows else []
                tables.append({"rows": len(rows), "header": header[:8]})
            if shape.has_chart:
                charts += 1
        slides.append({"n": n, "title": title or (texts[0] if texts else ""),
                       "tables": tables, "charts": charts})
    return slides


class Thumbnails:
    """Slide pictures made by LibreOffice in the background, one deck at a time, kept by content."""

    KEEP = 6

    def __init__(self):
        self._lock = threading.Lock()
        self._done: OrderedDict[str, list[bytes] | str] = OrderedDict()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="thumbs")

    @staticmethod
    def available() -> bool:
        import shutil

        from planforge.errors import ConversionError
        from planforge.pdf import find_soffice

        try:
            find_soffice()
        except ConversionError:
            return False
        return shutil.which("pdftoppm") is not None

    def start(self, key: str, pptx: bytes) -> bool:
        if not self.available():
            return False
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return True
            self._done[key] = "pending"
            while len(self._done) > self.KEEP:
                self._done.popitem(last=False)
        self._pool.submit(self._render, key, pptx)
        return True

    def _render(self, key: str, pptx: bytes) -> None:
        import subprocess
        import tempfile

        from planforge.pdf import to_pdf

        try:
            pdf = to_pdf(pptx, ".pptx")
            with tempfile.TemporaryDirectory(prefix="planforge-thumbs-") as tmp:
                src = Path(tmp) / "deck.pdf"
                src.write_bytes(pdf)
                subprocess.run(["pdftoppm", "-png", "-r", "30", str(src), str(Path(tmp) / "s")],
                               check=True, capture_output=True, timeout=120)
                pages = sorted(Path(tmp).glob("s-*.png"),
                               key=lambda p: int(p.stem.rsplit("-", 1)[1]))
                result: list[bytes] | str = [p.read_bytes() for p in pages]
        except Exception:  # a thumbnail that cannot be made leaves the outline in place
            result = "failed"
        with self._lock:
            if key in self._done:
                self._done[key] = result

    def status(self, key: str) -> dict:
        with self._lock:
            got = self._done.get(key)
        if got is None:
            return {"status": "unknown"}
        if isinstance(got, str):
            return {"status": got}
        return {"status": "ready", "count": len(got)}

    def image(self, key: str, n: int) -> bytes | None:
        with self._lock:
            got = self._done.get(key)
        if isinstance(got, list) and 1 <= n <= len(got):
            return got[n - 1]
        return None


