"""The ``planforge serve`` command: start the local web app."""

from __future__ import annotations

import socket
from pathlib import Path

import click

from planforge.i18n import _

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def bind(host: str, port: int) -> socket.socket:
    """Open the listening socket (so a port in use is a clear message, and port 0 works)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        reason = str(e.strerror or e)
        if e.errno in (98, 48, 10048):
            message = _("cannot listen on {address}: {reason} (another program uses that port; "
                        "try --port)")
        else:
            message = _("cannot listen on {address}: {reason}")
        raise click.UsageError(message.format(address=f"{host}:{port}", reason=reason)) from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def make_server(app, sock: socket.socket, *, log: bool = True):
    import uvicorn

    config = uvicorn.Config(app, log_level="warning" if log else "error", access_log=False,
                            lifespan="off", server_header=False, date_header=False,
                            limit_concurrency=64, timeout_keep_alive=5)
    return uvicorn.Server(config)


@click.command()
@click.argument("target", required=False, type=click.Path(path_type=Path, exists=False))
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this machine exposes your specs to "
                   "the network.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a web browser.")
def serve(target: Path | None, port: int, host: str, open_browser: bool) -> None:
    """Start the web app: a form for the whole spec, live checks, preview and downloads.

    TARGET is a spec to edit in place, or a folder to start a new spec in (default: the
    current folder; Save writes brand.yaml there). Images uploaded in the page are stored in
    the folder's assets/. The server listens on this machine only unless --host says
    otherwise; stop it with Ctrl+C.
    """
    from planforge.serve import create_app

    spec = folder = None
    if target is not None:
        if target.is_dir():
            folder = target
        elif target.suffix.lower() in (".yaml", ".yml"):
            if not target.parent.is_dir():
                raise click.BadParameter(_("{path} is not a folder").format(path=target.parent),
                                         param_hint="TARGET")
            spec = target
        else:
            raise click.BadParameter(
                _("{path} is neither a folder nor a .yaml spec").format(path=target),
                param_hint="TARGET")
    if host not in LOCAL_HOSTS:
        click.echo(_("warning: listening on {host}: anyone who can reach this machine can read "
                     "and overwrite the spec and its images. There is no password.").format(
                         host=host), err=True)
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as e:
        raise click.ClickException(
            _("planforge serve needs {module}, which is not installed: pip install --upgrade "
              "planforge (or pip install -e . in a checkout)").format(module=e.name)) from None
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    app = create_app(spec, folder, hosts=None if host not in LOCAL_HOSTS else
                     ("127.0.0.1", "localhost", "::1", "[::1]"))
    state = app.state.planforge
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/"
    click.echo(_("planforge serve: {url}  (editing {spec}; Ctrl+C stops)").format(
        url=url, spec=state.spec))
    server = make_server(app, sock)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(0.8, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
