"""The attack suite: each folder of tests/attacks/ is one attack by a hostile pack or spec.

A case folder holds ``case.yaml`` and whatever files the attack brings (a spec, images). The
case says which command to run (a build by default), how to make the hostile pack from a
built-in one, the exit code expected, words the output must contain, and words it must never
contain. Every case also checks what must hold whatever the attack: the secret file beside the
test folder never shows up in any output or message, the file a template tried to create does
not exist, and (unless the case says otherwise) nothing is written to the output folder.

Tokens in case.yaml strings: ``@SECRET@`` (a file holding a secret line, outside the pack and
the spec's folder), ``@VICTIM@`` (a path no template may create), ``@OUT@``, ``@PACK@``,
``@SPEC@``, ``@CASE@`` (the case folder, copied).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document
from pptx import Presentation
from pptx.util import Inches

from conftest import EXAMPLES, ROOT

CASES = Path(__file__).parent / "attacks"
SECRET_TEXT = "PF-SECRET-3f9c1e-do-not-print"
DEFAULT_SPEC = EXAMPLES / "ironleaf-cookware.en.yaml"


def _cases() -> list[Path]:
    return sorted(p.parent for p in CASES.glob("*/case.yaml"))


@pytest.fixture
def arena(tmp_path, monkeypatch):
    """A folder with a secret outside everything, a home of its own and no user packs."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PLANFORGE_TEMPLATES", raising=False)
    monkeypatch.chdir(tmp_path)
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET_TEXT + "\n", encoding="utf-8")
    shutil.copy(EXAMPLES / "assets" / "ironleaf-logo.png", secret.parent / "outside.png")
    return tmp_path


def _sub(value, tokens: dict[str, str]):
    if isinstance(value, str):
        for token, text in tokens.items():
            value = value.replace(token, text)
        return value
    if isinstance(value, list):
        return [_sub(v, tokens) for v in value]
    if isinstance(value, dict):
        return {k: _sub(v, tokens) for k, v in value.items()}
    return value


def make_pack(spec: dict, root: Path, tokens: dict[str, str]) -> Path:
    """Copy a built-in pack to *root* and apply the hostile changes *spec* describes."""
    shutil.copytree(ROOT / "templates" / spec.get("from", "default"), root)
    deck_path, plan_path = root / "deck.pptx", root / "plan.docx"
    if any(k in spec for k in ("deck_text", "deck_notes", "deck_shape")):
        prs = Presentation(str(deck_path))
        for item in spec.get("deck_text", []):
            box = prs.slides[item["slide"] - 1].shapes.add_textbox(
                Inches(0.5), Inches(6.0), Inches(6), Inches(0.5))
            box.name = "Attack"
            box.text_frame.paragraphs[0].add_run().text = item["text"]
        for item in spec.get("deck_shape", []):
            box = prs.slides[item["slide"] - 1].shapes.add_textbox(
                Inches(0.5), Inches(0.5), Inches(2), Inches(2))
            box.name = item["name"]
            box.text_frame.text = "x"
        for item in spec.get("deck_notes", []):
            notes = prs.slides[item["slide"] - 1].notes_slide.notes_text_frame
            notes.add_paragraph().text = item["text"]
        prs.save(str(deck_path))
    if "plan_text" in spec:
        doc = Document(str(plan_path))
        for text in spec["plan_text"]:
            doc.add_paragraph().add_run(text)
        doc.save(str(plan_path))
    if "manifest" in spec:
        data = yaml.safe_load((root / "pack.yaml").read_text(encoding="utf-8"))
        for key, value in spec["manifest"].items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key].update(value)
            else:
                data[key] = value
        (root / "pack.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for name, target in spec.get("symlinks", {}).items():
        link = root / name
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to(target)
    for name, text in spec.get("files", {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for part, rel in spec.get("external_rels", {}).items():
        _add_external_rel(root / part.split(":")[0], part.split(":")[1], rel)
    return root


def _add_external_rel(package: Path, rels_name: str, target: str) -> None:
    import zipfile

    with zipfile.ZipFile(package) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == rels_name:
                rel = (f'<Relationship Id="rIdAttack" Type="http://schemas.openxmlformats.org/'
                       f'officeDocument/2006/relationships/image" Target="{target}" '
                       f'TargetMode="External"/>')
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            zout.writestr(info, data)


def _packages(folder: Path, suffix: str = "") -> list[Path]:
    return sorted(p for p in folder.glob(f"*{suffix}") if p.suffix in (".pptx", ".docx"))


def _part(package: Path, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(package) as z:
        return z.read(name)


def _everything_written_in(package: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(package) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))


def _assert_gone(pid: int) -> None:
    import time

    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        try:  # killed, and waiting for a parent that is gone to collect it
            if "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text():
                return
        except OSError:
            pass
        time.sleep(0.1)
    os.kill(pid, 9)
    raise AssertionError(f"process {pid} outlived the build")


def _everything_written(folder: Path) -> bytes:
    if not folder.exists():
        return b""
    out = b""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix in (".pptx", ".docx"):
                import zipfile

                with zipfile.ZipFile(path) as z:
                    data = b"".join(z.read(n) for n in z.namelist())
            out += data
    return out


def _run_case(case: Path, arena: Path, cli, monkeypatch, *lang: str):
    """Set the attack of *case* up in *arena* and run its command (after the global *lang*)."""
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    work = arena / "case"
    shutil.copytree(case, work)
    out = arena / "out"
    tokens = {"@SECRET@": str(arena / "outside" / "secret.txt"),
              "@VICTIM@": str(arena / "outside" / "victim.txt"),
              "@OUTSIDE_PNG@": str(arena / "outside" / "outside.png"),
              "@OUT@": str(out), "@CASE@": str(work), "@PACK@": str(arena / "pack")}
    spec_file = work / spec["spec"] if "spec" in spec else DEFAULT_SPEC
    tokens["@SPEC@"] = str(spec_file)
    tokens["@ARENA@"] = str(arena)
    if "pack" in spec:
        make_pack(_sub(spec["pack"], tokens), arena / "pack", tokens)
    for name, value in _sub(spec.get("env", {}), tokens).items():
        monkeypatch.setenv(name, value)
    default = ["build", "@SPEC@", "-o", "@OUT@"] + (["--template", "@PACK@"] if "pack" in spec
                                                    else [])
    args = _sub(spec.get("command", default), tokens)
    return spec, tokens, out, work, cli(*lang, *args)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_attack_fails_safely(case: Path, arena: Path, cli, monkeypatch):
    spec, tokens, out, work, result = _run_case(case, arena, cli, monkeypatch)

    said = result.stdout + result.stderr
    assert result.exit_code == spec.get("exit", 1), result.text
    for words in _sub(spec.get("says", []), tokens):
        assert words in said, f"expected {words!r}\n{result.text}"
    assert "Traceback" not in said, result.text
    assert SECRET_TEXT not in said, result.text
    assert SECRET_TEXT.encode() not in _everything_written(out)
    assert not (arena / "outside" / "victim.txt").exists(), "a template created a file"
    for words in _sub(spec.get("core_xml_has", []), tokens):
        assert any(words.encode() in _part(p, "docProps/core.xml") for p in _packages(out)), words
    for words in _sub(spec.get("deck_has", []), tokens):
        assert any(words.encode() in _everything_written_in(p) for p in _packages(out, ".pptx")), \
            words
    if "killed" in spec:  # a process the attack started must be gone
        _assert_gone(int((work / spec["killed"]).read_text()))
    if spec.get("writes_nothing", True):
        assert not out.exists() or not any(out.iterdir()), sorted(os.listdir(out))


_QUOTED = re.compile(r"(?<!\w)'[^']*'(?!\w)|\"[^\"]*\"|\{[{%#].*?[}%#]\}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# What a message names and must keep naming in Chinese: quoted values, files, codes, fields.
_NAMED = re.compile(r"(?<!\w)'[^']*'(?!\w)|PF\d{3}|\$\.[\w.\[\]]+|[\w./@-]+\.(?:yaml|pptx|docx|png|jpe?g|pdf)\b")


@pytest.mark.parametrize("case", [c for c in _cases()
                                  if yaml.safe_load((c / "case.yaml").read_text()).get("exit", 1)],
                         ids=lambda p: p.name)
def test_attack_is_refused_in_chinese(case: Path, arena: Path, cli, monkeypatch):
    """Under --lang zh-CN each refusal is a Chinese sentence (outside the quoted values it
    shows) that still names the same files, fields, codes and values as in English."""
    spec, tokens, out, _work, result = _run_case(case, arena, cli, monkeypatch, "--lang", "zh-CN")

    said = result.stdout + result.stderr
    assert result.exit_code == spec.get("exit", 1), result.text
    assert "Traceback" not in said and SECRET_TEXT not in said, result.text
    lines = [line for line in said.splitlines() if line.strip() and line[0] != " "]
    assert lines, result.text
    for line in lines:
        assert _CJK.search(_QUOTED.sub("", line)), f"English-only: {line!r}\n{result.text}"
    for words in _sub(spec.get("says", []), tokens):
        for name in _NAMED.findall(words):
            assert name in said, f"{name!r} (from {words!r}) lost in Chinese\n{result.text}"
    if spec.get("writes_nothing", True):
        assert not out.exists() or not any(out.iterdir()), sorted(os.listdir(out))


# -- the compiled-template cache ------------------------------------------------------------------


def _fresh_cache(tmp_path: Path, monkeypatch) -> Path:
    from planforge.caches import forget as forget_memory

    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANFORGE_CACHE_DIR", str(folder))
    monkeypatch.setenv("PLANFORGE_CACHE_KEY", str(tmp_path / "keys" / "cache.key"))
    forget_memory()
    return folder


def _built(spec: Path, out: Path) -> dict[str, bytes]:
    from planforge import api

    return {p.suffix: p.read_bytes() for p in api.build(spec, out).outputs}


def test_poisoned_cache_entries_are_never_loaded(tmp_path, monkeypatch):
    """Whoever can write the cache folder (a restored CI cache) cannot run code in a build."""
    import hashlib
    import marshal

    from planforge.caches import forget as forget_memory

    folder = _fresh_cache(tmp_path, monkeypatch)
    spec = DEFAULT_SPEC
    clean = _built(spec, tmp_path / "clean")
    victim = tmp_path / "victim.txt"
    evil = marshal.dumps(compile(f"open({str(victim)!r}, 'w').write('owned')", "<x>", "exec"))
    entries = sorted(folder.glob("jinja-*.cache")) + sorted(folder.glob("docxtpl-*.xml"))
    assert entries
    for entry in entries:
        payload = evil if entry.suffix == ".cache" else b"<w:document>POISON {{ 7*7 }}</w:document>"
        # The attacker knows the file format (a checksum line, then the payload), not the key.
        entry.write_bytes(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    forget_memory()

    again = _built(spec, tmp_path / "again")

    assert not victim.exists(), "code from the cache folder ran"
    assert again == clean
    forget_memory()


def test_a_cache_folder_others_may_write_is_not_used(tmp_path, monkeypatch, cli, capfd):
    folder = _fresh_cache(tmp_path, monkeypatch)
    folder.mkdir()
    folder.chmod(0o777)
    other = tmp_path / "second.en.yaml"
    other.write_text(DEFAULT_SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(EXAMPLES / "assets", tmp_path / "assets")

    result = cli("build", DEFAULT_SPEC, other, "-o", tmp_path / "out")

    said = result.stderr + capfd.readouterr().err
    assert result.exit_code == 0, result.text
    assert said.count("not using the template cache") == 1, said
    assert "other users may write to it" in said
    assert list(folder.iterdir()) == []
    from planforge.caches import forget as forget_memory

    forget_memory()


# -- hostile specs too big to keep as files ------------------------------------------------------

MINIMAL = ("planforge: 1\nmeta:\n  year: 2027\nbrand:\n  name: Northwind\n  slogan: {slogan}\n"
           "company:\n  name: Northwind Co.\ntargets:\n  annual_gmv: 100万\n")


def test_a_text_of_ten_million_characters_is_refused_not_cut(tmp_path, cli):
    spec = tmp_path / "long.yaml"
    spec.write_text(MINIMAL.format(slogan="x" * 10_000_001), encoding="utf-8")
    result = cli("build", spec, "-o", tmp_path / "out")
    assert result.exit_code == 1, result.text[:2000]
    assert "long.yaml:6:11: $.brand.slogan: the text has 10,000,001 characters" in result.stderr
    assert not (tmp_path / "out").exists()


def test_lists_nested_500_deep_are_refused_with_their_line(tmp_path, cli):
    spec = tmp_path / "deep.yaml"
    spec.write_text(MINIMAL.format(slogan="ok") + "x-deep: " + "[" * 500 + "]" * 500 + "\n",
                    encoding="utf-8")
    result = cli("validate", spec)
    assert result.exit_code == 1, result.text[:2000]
    assert "deep.yaml:11:" in result.stderr and "nested more than 40 deep" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_fifo_as_the_spec_is_refused_at_once(tmp_path, cli):
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    result = cli("validate", fifo)
    assert result.exit_code == 1, result.text
    assert "spec.yaml: is a named pipe (FIFO), not a spec file" in result.stderr
