"""Warm rebuilds in one process, the way watch mode and a live preview render: paired ratios.

    python benchmarks/warm.py SPEC [--reps N]

After one warm-up of each, the rounds interleave: planforge.render of the deck and plan, the
floor's own in-process render of its deck and document (benchmarks/floor.py, nothing written),
and planforge.render of the deck alone after one text field changed (``brand.slogan``, a new
value every round, so no output is reused). Prints one JSON object: every sample in ms, the
medians and the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import floor  # noqa: E402  (sibling module)
from floor_plan import _template_source  # noqa: E402
from docxtpl import DocxTemplate  # noqa: E402


def floor_render(spec: dict, base: Path) -> None:
    """The floor's deck and document, rendered to memory."""
    floor.build_deck(spec, base).save(io.BytesIO())
    tpl = DocxTemplate(_template_source())
    tpl.render(floor.plan_context(spec), autoescape=True)
    tpl.save(io.BytesIO())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args(argv)

    import planforge

    spec = args.spec.resolve()
    text = spec.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    raw = yaml.safe_load(text)

    slogan = (data.get("brand") or {}).get("slogan")
    if not slogan or f"slogan: {slogan}\n" not in text:
        raise SystemExit(f"{spec}: needs a one-line brand.slogan to change")

    def edited(n: int) -> str:
        # YAML text, as an editor or a web form sends it: one field differs every round.
        return text.replace(f"slogan: {slogan}\n", f"slogan: {slogan} {n}\n", 1)

    cases = {
        "warm": lambda n: planforge.render(spec),
        "floor": lambda n: floor_render(raw, spec.parent),
        "deck-edit": lambda n: planforge.render(edited(n), base_dir=spec.parent,
                                                name=spec.name, formats=["pptx"]),
    }
    for name, run in cases.items():  # warm-up: imports, compiled templates, parsed decks
        run(0)
        run(0)
    samples: dict[str, list[float]] = {name: [] for name in cases}
    names = list(cases)
    for r in range(args.reps):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            start = time.perf_counter()
            cases[name](r + 1)
            samples[name].append((time.perf_counter() - start) * 1000)
    ratios = [w / f for w, f in zip(samples["warm"], samples["floor"])]
    print(json.dumps({
        "samples": samples,
        "median": {k: statistics.median(v) for k, v in samples.items()},
        "warm_vs_floor": statistics.median(ratios),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
