"""Every value the schema allows has a label in every locale of every shipped pack, and prints.

A documented value that the packs do not label used to validate and then break the build (the
plan failed on ``distribution``, the deck printed the raw key ``crm``). This test walks the
schema's enums, so a value added to the schema later fails here until each pack labels it.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from planforge.api import render
from planforge.packrt import ENUM_LABELS, ENUM_UNLABELLED, schema_enums
from planforge.packs import read_pack
from planforge.resources import read_schema, templates_dir

#: Where the labels of each enum live in a pack (None: the value is never printed): the
#: library's own table, the one `templates check` uses.
LABELS = {**ENUM_LABELS, **dict.fromkeys(ENUM_UNLABELLED)}

SCHEMA = read_schema()
ENUMS = schema_enums()
SHIPPED = [read_pack(d, "built-in") for d in sorted(templates_dir().iterdir())
           if (d / "pack.yaml").is_file()]
CASES = [(p.name, loc) for p in SHIPPED for loc in p.locales]


def test_every_schema_enum_is_mapped_to_labels():
    assert set(ENUMS) == set(LABELS), "a schema enum without a label table here (or gone)"


def test_strategy_keys_are_labelled_too():
    keys = set(SCHEMA["properties"]["market"]["properties"]["strategy"]["properties"])
    for pack in SHIPPED:
        for loc in pack.locales:
            assert keys <= set(pack.labels(loc)["strategy"]), (pack.name, loc)


@pytest.mark.parametrize("pack_name, locale", CASES, ids=[f"{p}-{l}" for p, l in CASES])
def test_every_enum_value_has_a_label(pack_name, locale):
    pack = next(p for p in SHIPPED if p.name == pack_name)
    labels = pack.labels(locale)
    missing = []
    for path, values in ENUMS.items():
        table = LABELS[path]
        if table is None:
            continue
        for value in values:
            text = (labels.get(table) or {}).get(value)
            if not isinstance(text, str) or not text.strip():
                missing.append(f"{path}: {value} (labels.{table}.{value})")
    assert missing == []


def _texts(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


SPEC = """\
planforge: 1
meta: {{year: 2027, locale: {locale}}}
brand: {{name: Enumerated}}
company:
  name: Enumerated Co.
  channels:
{channels}
targets:
  annual_gmv: 100万
  annual_budget: 10万
roadmap:
  - quarter: Q1
    budget:
{lines}
promotion:
  channels:
{kinds}
"""


@pytest.mark.parametrize("pack_name, locale", CASES, ids=[f"{p}-{l}" for p, l in CASES])
def test_every_enum_value_renders_its_label_in_both_documents(pack_name, locale, tmp_path):
    types = ENUMS["company.channels[].type"]
    kinds = ENUMS["promotion.channels[].kind"]
    spec = SPEC.format(
        locale=locale,
        channels="\n".join(f"    - {{name: Sales {t}, type: {t}, annual_sales: 10万}}" for t in types),
        lines="\n".join(f"      - {{channel: Promo {k}, amount: 1万}}" for k in kinds[:1]),
        kinds="\n".join(f"    - {{name: Promo {k}, kind: {k}, description: about {k}}}"
                        for k in kinds))
    path = tmp_path / "enums.yaml"
    path.write_text(spec, encoding="utf-8")
    pack = next(p for p in SHIPPED if p.name == pack_name)
    labels = pack.labels(locale)
    docs = render(path, template=str(pack.root), formats=("pptx", "docx"))
    assert set(docs.files) == {"pptx", "docx"}
    for kind, data in docs.files.items():
        text = _texts(data)
        for k in kinds:
            assert labels["channel_kinds"][k] in text, (kind, k)
        for t in types:
            assert labels["sales_channel_types"][t] in text, (kind, t)
