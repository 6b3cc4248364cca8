"""Shared fixtures: where the contract specs and examples are, and a CLI runner that shows output."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# The contract specs live beside the project (../shared) in the team's workspace and CI only;
# a user's clone has none, and the tests that read them are skipped there.
SHARED_SPECS = ROOT.parent / "shared" / "specs"
CONTRACT_FULL = SHARED_SPECS / "contract-full.zh.yaml"
CONTRACT_MINIMAL = SHARED_SPECS / "contract-minimal.en.yaml"

needs_shared = pytest.mark.skipif(not SHARED_SPECS.is_dir(),
                                  reason="../shared/specs is not beside this checkout")


def example_specs() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


def contract_specs() -> list[Path]:
    return [CONTRACT_FULL, CONTRACT_MINIMAL] if SHARED_SPECS.is_dir() else []


@pytest.fixture
def cli():
    """Run the planforge CLI in-process; on failure the assertion shows stdout and stderr."""
    from planforge.cli import main

    def run(*args: str, input: str | None = None):
        runner = CliRunner()
        result = runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)
        result.text = f"exit {result.exit_code}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        return result

    return run


@pytest.fixture(autouse=True)
def _private_template_cache(tmp_path_factory, monkeypatch):
    """Keep the compiled-template cache of test runs out of the user's home folder."""
    monkeypatch.setenv("PLANFORGE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    # ... and the key that seals its entries too.
    monkeypatch.setenv("PLANFORGE_CACHE_KEY", str(tmp_path_factory.getbasetemp() / "cache.key"))


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    """Tests read planforge's messages in English, as with --lang en, whatever the machine's
    locale and the spec's meta.locale; tests/test_i18n.py uses ``any_language`` to see the
    language chosen as a user would get it."""
    from planforge import i18n

    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("PLANFORGE_LANG", "en")
    yield
    i18n.set_language(None)


@pytest.fixture
def any_language(monkeypatch):
    """Let messages follow --lang, the spec's meta.locale and LANG/LC_ALL, as for a user."""
    monkeypatch.delenv("PLANFORGE_LANG", raising=False)
