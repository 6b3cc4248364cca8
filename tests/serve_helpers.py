"""Run the web app on a free port of this machine in a background thread, for the serve tests."""

from __future__ import annotations

import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from conftest import EXAMPLES


def copy_example(folder: Path, name: str = "ironleaf-cookware.en.yaml") -> Path:
    """Copy an example spec and its images into ``folder`` (the server edits files in place)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLES / name, folder / name)
    shutil.copytree(EXAMPLES / "assets", folder / "assets", dirs_exist_ok=True)
    return folder / name


@contextmanager
def running_server(spec: Path | None = None, folder: Path | None = None,
                   **kwargs) -> Iterator[tuple[str, object]]:
    """Serve ``create_app(spec, folder)`` on 127.0.0.1; yield (base URL, app)."""
    from planforge.serve import create_app
    from planforge.serve.command import bind, make_server

    app = create_app(spec, folder, **kwargs)
    sock = bind("127.0.0.1", 0)
    server = make_server(app, sock, log=False)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", app
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()
