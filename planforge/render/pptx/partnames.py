"""Answer python-pptx's "next free part name" and "is this image already here" from one scan.

python-pptx walks every relationship of the package to name each new part (a copied chart, a
notes slide, an image) and to find an image already present; a deck with hundreds of repeated
slides makes that quadratic. ``PartIndex`` walks the package once and keeps what it found up to
date as the render adds parts, giving exactly the answers python-pptx would.

Parts can also leave the package: dropping a relationship may leave its target unreachable.
The renderer reports every relationship it drops (``dropped``); when a slide still relates to
the same target (the slides told about with ``linked``), nothing changed, otherwise the index
scans again before its next answer. A missing ``linked`` only costs a scan. Every part added
during a render must get its name from ``next_partname``/``next_image_partname`` or be
reported with ``added``, or two parts could get the same name.
"""

from __future__ import annotations

from typing import IO, Any

from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.package import Package
from pptx.parts.image import Image, ImagePart

__all__ = ["PartIndex", "added", "dropped", "linked"]

_ATTRIBUTE = "_planforge_part_index"
_IMAGE_PREFIX = "/ppt/media/image"


class PartIndex:
    """The part names and images of one package, kept current while a render adds parts."""

    def __init__(self, package: Package):
        self.package = package
        self._names: set[str] | None = None  # None: scan before answering
        self._by_prefix: dict[str, set[str]] = {}
        self._images: dict[str, ImagePart] = {}
        self._referrers: dict[int, list[Part]] = {}  # parts that relate to a part, by its id

    @classmethod
    def install(cls, package: Package) -> PartIndex:
        """Make *package* ask a new index for part names and images; return the index."""
        index = cls(package)
        setattr(package, _ATTRIBUTE, index)
        # Instance attributes shadow the methods for this package object only.
        package.next_partname = index.next_partname  # type: ignore[method-assign]
        package.next_image_partname = index.next_image_partname  # type: ignore[method-assign]
        package.get_or_add_image_part = index.get_or_add_image_part  # type: ignore[method-assign]
        return index

    def next_partname(self, tmpl: str) -> PackURI:
        """Return what ``OpcPackage.next_partname`` would, and reserve it."""
        prefix = tmpl[: (tmpl % 42).find("42")]
        group = self._prefixed(prefix)
        for n in range(len(group) + 1, 0, -1):
            candidate = tmpl % n
            if candidate not in group:
                self._reserve(candidate)
                return PackURI(candidate)
        raise RuntimeError("no free part name")  # pragma: no cover - the loop always returns

    def next_image_partname(self, ext: str) -> PackURI:
        """Return what ``Package.next_image_partname`` would, and reserve it."""
        found = (PackURI(name).idx for name in self._prefixed(_IMAGE_PREFIX))
        indexes = sorted(idx for idx in found if idx is not None)
        idx = len(indexes) + 1
        for i, used in enumerate(indexes):
            if i + 1 < used:
                idx = i + 1
                break
        partname = f"{_IMAGE_PREFIX}{idx}.{ext}"
        self._reserve(partname)
        return PackURI(partname)

    def get_or_add_image_part(self, image_file: str | IO[bytes]) -> ImagePart:
        """Return what ``Package.get_or_add_image_part`` would: the same image reused."""
        image = Image.from_file(image_file)
        self._scan()
        part = self._images.get(image.sha1)
        if part is None:
            part = ImagePart.new(self.package, image)
            self._images[image.sha1] = part
        return part

    def added(self, part: Part) -> None:
        """Record that *part* joined the package (under a name not reserved here)."""
        if self._names is not None:
            self._reserve(str(part.partname))

    def linked(self, source: Part, target: Part) -> None:
        """Record that *source* now relates to *target* (lets a later drop be checked quickly)."""
        if self._names is not None:
            self._referrers.setdefault(id(target), []).append(source)

    def dropped(self, target: Part) -> None:
        """Record that a relationship to *target* was dropped; rescan if it may have left."""
        if self._names is None:
            return
        # Proof that *target* is still in the package: the presentation part, or a part it
        # relates to directly (a slide), still relates to it. Parts further down prove nothing:
        # a notes slide relates back to its slide.
        main = self.package.presentation_part
        direct = {id(r.target_part) for r in main.rels.values() if not r.is_external}
        for source in self._referrers.get(id(target), ()):
            if (source is main or id(source) in direct) and any(
                not rel.is_external and rel.target_part is target for rel in source.rels.values()
            ):
                return
        self._names = None

    def _reserve(self, partname: str) -> None:
        self._scan().add(partname)
        for prefix, group in self._by_prefix.items():
            if partname.startswith(prefix):
                group.add(partname)

    def _prefixed(self, prefix: str) -> set[str]:
        names = self._scan()
        group = self._by_prefix.get(prefix)
        if group is None:
            group = self._by_prefix[prefix] = {n for n in names if n.startswith(prefix)}
        return group

    def _scan(self) -> set[str]:
        if self._names is not None:
            return self._names
        names: set[str] = set()
        images: dict[str, ImagePart] = {}
        seen: set[int] = set()
        referrers: dict[int, list[Part]] = {}
        hashed: set[int] = set()
        # The walk of OpcPackage.iter_rels, in the same order, knowing each relationship's source.
        stack: list[tuple[Any, Any]] = [(self.package, iter(self.package._rels.values()))]
        while stack:
            source, rels = stack[-1]
            for rel in rels:
                if rel.is_external:
                    continue
                part = rel.target_part
                referrers.setdefault(id(part), []).append(source)
                first = id(part) not in seen
                if first:
                    seen.add(id(part))
                    names.add(str(part.partname))
                # python-pptx looks images up in the order of image relationships; first wins.
                if rel.reltype == RT.IMAGE and id(part) not in hashed:
                    hashed.add(id(part))
                    sha1 = getattr(part, "sha1", None)
                    if sha1 is not None:
                        images.setdefault(sha1, part)
                if first:
                    stack.append((part, iter(part.rels.values())))
                    break
            else:
                stack.pop()
        self._names, self._images, self._referrers = names, images, referrers
        self._by_prefix = {}
        return names


def _index(package: Any) -> PartIndex | None:
    return getattr(package, _ATTRIBUTE, None)


def added(part: Any) -> None:
    """Tell the index of *part*'s package (if any) that *part* was added to the package."""
    index = _index(part.package)
    if index is not None:
        index.added(part)


def linked(source: Any, target: Any) -> None:
    """Tell the index of *source*'s package (if any) that *source* now relates to *target*."""
    index = _index(source.package)
    if index is not None:
        index.linked(source, target)


def dropped(source: Any, target: Any) -> None:
    """Tell the index of *source*'s package (if any) that a relationship to *target* was dropped."""
    index = _index(source.package)
    if index is not None and target is not None:
        index.dropped(target)
