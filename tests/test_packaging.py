"""A plain (non-editable) install must carry templates/ and schemas/ and work from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

# A venv made before these libraries were added lacks them until it is reinstalled;
# CI installs them (.ci/run: pip install -e ".[test]"), so there nothing is skipped.
EXTRA = "not installed: pip install -e '.[test]'"

from conftest import CONTRACT_FULL, CONTRACT_MINIMAL, ROOT, needs_shared


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory) -> Path:
    """A new venv with only the built wheel of planforge installed (its dependencies are
    borrowed from the test environment, so the test needs no network)."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(work), str(ROOT)], check=True, capture_output=True)
    [wheel] = work.glob("planforge-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    # The test environment's packages, for the dependencies. Its editable planforge is a .pth
    # file there, which Python does not follow from a path added this way: the wheel's copy wins.
    (purelib / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q",
                    "--target", str(purelib), str(wheel)], check=True, capture_output=True)
    return venv


def run_in(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    return subprocess.run([str(venv / "bin" / "python"), "-m", "planforge", *args], cwd=cwd,
                          capture_output=True, text=True, env=env)


def test_wheel_install_is_not_the_checkout(wheel_venv, tmp_path):
    out = subprocess.run([str(wheel_venv / "bin" / "python"), "-c",
                          "import planforge, planforge.resources as r; print(planforge.__file__);"
                          "print(r.schema_file()); print(r.templates_dir())"],
                         cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert all(str(wheel_venv) in line for line in out), out
    assert not any(line.startswith(str(ROOT) + os.sep + "planforge") for line in out)


def test_schema_prints_from_another_folder(wheel_venv, tmp_path):
    result = run_in(wheel_venv, "schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"$schema": "https://json-schema.org/draft/2020-12/schema"' in result.stdout


@needs_shared
def test_contract_specs_validate_from_another_folder(wheel_venv, tmp_path):
    result = run_in(wheel_venv, "--lang", "en", "validate", str(CONTRACT_FULL), str(CONTRACT_MINIMAL),
                    cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": valid") == 2


def test_builtin_pack_is_listed_from_another_folder(wheel_venv, tmp_path):
    result = run_in(wheel_venv, "templates", "list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "default" in result.stdout and str(wheel_venv) in result.stdout


# Imported module -> the distribution that provides it (where the names differ).
_DISTRIBUTIONS = {"pptx": "python-pptx", "docx": "python-docx", "yaml": "pyyaml", "PIL": "pillow",
                  "jinja2": "jinja2", "markupsafe": "markupsafe", "ruamel": "ruamel.yaml"}


def _declared() -> set[str]:
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}


def test_every_imported_package_is_declared():
    import ast

    stdlib = sys.stdlib_module_names
    imported: set[str] = set()
    for path in (ROOT / "planforge").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in stdlib and m != "planforge"}
    missing = {m for m in third_party if _DISTRIBUTIONS.get(m, m).lower() not in _declared()}
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"


def test_wheel_carries_license_and_py_typed(tmp_path):
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("planforge-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "planforge/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), names
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Project-URL: Repository, " in metadata and "Classifier: Typing :: Typed" in metadata
    assert "License-Expression: MIT" in metadata


def test_the_web_page_and_its_assets_ship_in_the_wheel(wheel_venv, tmp_path):
    """An offline machine with only the wheel gets a working page: nothing comes from a CDN."""
    pytest.importorskip("starlette", reason=EXTRA)
    pytest.importorskip("httpx", reason=EXTRA)
    code = (
        "import warnings\n"
        "warnings.simplefilter('ignore')\n"
        "from pathlib import Path\n"
        "from starlette.testclient import TestClient\n"
        "import planforge.serve.app as a\n"
        "client = TestClient(a.create_app(folder=Path('.')), base_url='http://127.0.0.1')\n"
        "for url in ('/', '/static/app.js', '/static/app.css', '/static/i18n.js', '/api/schema',"
        " '/api/labels'):\n"
        "    r = client.get(url)\n"
        "    assert r.status_code == 200 and len(r.content) > 500, url\n"
        "print(a.STATIC)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([str(wheel_venv / "bin" / "python"), "-c", code], cwd=tmp_path,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert str(wheel_venv) in result.stdout


def test_templates_check_renders_the_examples_and_coverage_specs_from_the_wheel(wheel_venv,
                                                                                tmp_path):
    """The wheel carries the specs 'templates check' renders a pack with, and their images."""
    from planforge.resources import coverage_specs

    result = run_in(wheel_venv, "--lang", "en", "templates", "check", "default", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    rendered = [ln.strip() for ln in result.stdout.splitlines() if "rendered with" in ln]
    names = [f"rendered with coverage/{p.name}" for p in coverage_specs()]
    assert len(names) >= 2 and set(names) <= set(rendered), result.stdout
    assert "rendered with ironleaf-cookware.en.yaml" in rendered
