"""Write benchmark specs from an example: batch variants and specs with many products and tasks."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import yaml


def load(spec: Path) -> dict:
    return yaml.safe_load(spec.read_text(encoding="utf-8"))


def _dump(data: dict, target: Path) -> Path:
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def copy_assets(data: dict, source_dir: Path, target_dir: Path) -> None:
    """Copy the images *data* names (relative to *source_dir*) to the same places under *target_dir*."""
    names = [(data.get("brand") or {}).get("logo")]
    names += [p.get("image") for p in data.get("products") or []]
    for name in {n for n in names if n}:
        dest = target_dir / name
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source_dir / name, dest)


def variants(spec: Path, count: int, target_dir: Path) -> list[Path]:
    """Write *count* variants of *spec* (renamed brand, rotated products) with their assets."""
    base = load(spec)
    target_dir.mkdir(parents=True, exist_ok=True)
    copy_assets(base, spec.parent, target_dir)
    out = []
    for i in range(count):
        data = copy.deepcopy(base)
        brand, meta = data["brand"], data.setdefault("meta", {})
        brand["name"] = f"{brand['name']}{i:03d}"
        meta["title"] = f"{meta.get('title') or brand['name']} {i:03d}"
        products = data.get("products") or []
        if products:
            k = i % len(products)
            data["products"] = products[k:] + products[:k]
        out.append(_dump(data, target_dir / f"variant-{i:03d}.yaml"))
    return out


def grown(spec: Path, size: int, target_dir: Path) -> Path:
    """Write a spec with *size* products and *size* roadmap tasks, built from *spec*'s own."""
    data = load(spec)
    target_dir.mkdir(parents=True, exist_ok=True)
    copy_assets(data, spec.parent, target_dir)
    products = data.get("products") or [{"name": "Product", "price": 100, "cost": 40}]
    data["products"] = []
    for i in range(size):
        item = copy.deepcopy(products[i % len(products)])
        item["name"] = f"{item['name']} {i + 1:03d}"
        item.pop("sales_share", None)  # copies would push the shares past 100%
        if item.get("sku"):
            item["sku"] = f"{item['sku']}-{i + 1}"
        data["products"].append(item)
    year = int(data["meta"]["year"])
    roadmap = data.get("roadmap") or [{"quarter": f"Q{q}"} for q in range(1, 5)]
    for entry in roadmap:
        entry["tasks"] = []
    for i in range(size):
        entry = roadmap[i % len(roadmap)]
        first = 3 * (int(entry["quarter"][1]) - 1) + 1
        start, end = first + i % 3, first + 2
        entry["tasks"].append({"name": f"任务 {i + 1}", "start": f"{year}-{start:02d}",
                               "end": f"{year}-{end:02d}", "owner": "运营"})
    data["roadmap"] = roadmap
    return _dump(data, target_dir / f"grow-{size}.yaml")
