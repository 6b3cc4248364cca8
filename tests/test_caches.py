"""One forget() empties every cache: a long-running program sees a pack edited on disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import planforge
from conftest import EXAMPLES, ROOT
from planforge.caches import forget


def test_forget_lets_a_render_see_an_edited_pack(tmp_path):
    pack = tmp_path / "mine"
    shutil.copytree(ROOT / "templates" / "default", pack)
    spec = EXAMPLES / "ironleaf-cookware.en.yaml"
    before = planforge.render(spec, template=str(pack), formats=["pptx"])
    labels = pack / "locales" / "en" / "deck.yaml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text.replace("thanks: Thank you", "thanks: Many thanks, see you"),
                      encoding="utf-8")
    forget()
    after = planforge.render(spec, template=str(pack), formats=["pptx"])
    assert after.pptx != before.pptx
    assert b"Many thanks, see you" in _slides_xml(after.pptx)


def _slides_xml(pptx: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.startswith("ppt/slides/slide"))


def test_command_modules_do_not_import_the_command_group():
    # batch, initcmd and templates share planforge.cli.outcome; none imports the click group
    # (planforge.cli.commands) back, so a --jobs worker loads only what it runs.
    code = ("import sys, planforge.cli.batch, planforge.cli.initcmd, planforge.cli.templates; "
            "print('planforge.cli.commands' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)
    assert out.stdout.strip() == "False"
