"""Flag absolute claims (最佳, 第一, best, No. 1, ...) that China's Advertising Law prohibits.

Article 9 of the 广告法 forbids 国家级, 最高级, 最佳 and similar terms in advertising; Tmall
reviewers and product pages apply it too. The lint is a warning: a human decides.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from planforge.errors import Problem
from planforge.i18n import _
from planforge.loader import Spec

# Phrases, not single characters: 最近 or 第一次 tell a story, 最佳 or 第一品牌 make a claim.
_ZH = [
    r"最(?:佳|好|大|高|低|优|先进|强|便宜|受欢迎|专业|正宗|权威|畅销|具|新技术|时尚|安全|健康)",
    r"第一(?!次|批|期|步|天|年|阶段|季|代|届|轮|个|周|时间|手)",
    r"国家级", r"世界级", r"全球级", r"宇宙级", r"顶级", r"极品", r"极致", r"首个", r"首家",
    r"首选", r"唯一", r"销量冠军", r"全网(?:最|第一|独家)", r"百分之百", r"100\s*%", r"万能",
    r"绝对", r"无敌", r"史无前例", r"前无古人", r"独一无二",
]
_EN = [
    r"\bbest\b", r"\bNo\.\s?1\b", r"\bnumber\s+one\b", r"#\s?1\b", r"\bworld[- ]class\b",
    r"\bworld'?s\s+first\b", r"\bunbeatable\b", r"\bunrivall?ed\b",
    r"\bultimate\b", r"\bfinest\b", r"\btop[- ]quality\b",
]
CLAIM_RE = re.compile("|".join(_ZH + _EN), re.IGNORECASE)

#: Where claims are looked for: the text a buyer or a Tmall reviewer reads about the brand.
SECTIONS = ("meta", "brand", "company", "products", "market", "swot")
#: Fields that are names of others or data, not the applicant's own claims.
_SKIP = {"competitors", "registration_no", "number", "sku", "holder", "logo", "image", "locale",
         "store_type", "template", "currency", "class", "kind", "role", "type", "status"}


def _texts(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            if key not in _SKIP:
                yield from _texts(child, path + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _texts(child, path + (i,))


def find_claims(text: str) -> list[str]:
    """Return the absolute-claim phrases found in a text, in order, each once."""
    seen: list[str] = []
    for m in CLAIM_RE.finditer(text):
        if m.group(0) not in seen:
            seen.append(m.group(0))
    return seen


def lint_claims(spec: Spec) -> list[Problem]:
    """Warn about every absolute claim in the brand, company, product and market texts."""
    problems = []
    for section in SECTIONS:
        for path, text in _texts(spec.data.get(section), (section,)):
            for phrase in find_claims(text):
                field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path)
                field = field.replace(".[", "[")
                problems.append(spec.problem(
                    path,
                    _("{field} says '{phrase}': an absolute claim; the Advertising Law "
                      "(广告法 art. 9) prohibits absolute terms such as 最佳, 第一, 国家级 or "
                      "'best'/'No. 1' in advertising; state a fact that can be checked "
                      "instead").format(field=field, phrase=phrase),
                    severity="warning", code="PF320",
                    hint=_("when it is a fact that can be checked (an award's name), keep it and "
                           "add # planforge: ignore[PF320] at the end of the line")))
    return problems
