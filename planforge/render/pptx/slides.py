"""Clone and delete slides, giving each clone its own chart parts and embedded workbooks.

python-pptx has no slide duplication. A clone here is a new slide on the same layout whose
``p:sld`` children are copies of the source's; every relationship of the source is re-created on
the clone with a fresh rId and the ``r:`` attributes of the copied XML are rewritten to match.
Images and hyperlinks are shared; charts (with their workbook, style and colour parts) are
copied, because a chart's data is replaced per clone.
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part, PartFactory
from pptx.opc.packuri import PackURI
from pptx.presentation import Presentation
from pptx.slide import Slide

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
_NOT_COPIED = {RT.SLIDE_LAYOUT, RT.NOTES_SLIDE}
_OWNED = {RT.CHART, RT.CHART_USER_SHAPES}


def slide_index(prs: Presentation, slide: Slide) -> int:
    """Return the 0-based position of *slide* in the presentation."""
    for i, sld_id in enumerate(prs.slides._sldIdLst):
        if prs.part.related_part(sld_id.rId) is slide.part:
            return i
    raise ValueError("slide is not part of this presentation")


def clone_slide(prs: Presentation, source: Slide, position: int) -> Slide:
    """Insert a copy of *source* at *position* and return it."""
    clone = prs.slides.add_slide(source.slide_layout)
    id_list = prs.slides._sldIdLst
    new_id = id_list[-1]
    id_list.remove(new_id)
    id_list.insert(position, new_id)
    _add_to_section(prs, id_list[position - 1].get("id"), new_id.get("id"))

    # Keep the clone's own p:cSld and p:spTree elements: python-pptx has already cached them.
    target = clone._element
    for name, value in source._element.attrib.items():
        target.set(name, value)
    for child in list(target):
        if child is not target.cSld:
            target.remove(child)
    for child in source._element:
        if child.tag == target.cSld.tag:
            _copy_into(target.cSld, child)
        else:
            target.append(deepcopy(child))

    mapping = {}
    for rId, rel in source.part.rels.items():
        if rel.reltype in _NOT_COPIED:
            continue
        if rel.is_external:
            mapping[rId] = clone.part.relate_to(rel.target_ref, rel.reltype, is_external=True)
        elif rel.reltype in _OWNED:
            mapping[rId] = clone.part.relate_to(copy_part(rel.target_part), rel.reltype)
        else:
            mapping[rId] = clone.part.relate_to(rel.target_part, rel.reltype)
    _rewrite_rids(target, mapping)

    if source.has_notes_slide and source.notes_slide.notes_text_frame is not None:
        body = clone.notes_slide.notes_text_frame
        if body is not None:
            src_body, dst_body = source.notes_slide.notes_text_frame._txBody, body._txBody
            for child in list(dst_body):
                dst_body.remove(child)
            for child in src_body:
                dst_body.append(deepcopy(child))
    return clone


def delete_slide(prs: Presentation, slide: Slide) -> None:
    """Remove *slide* (and, with it, the parts only it used) from the presentation."""
    id_list = prs.slides._sldIdLst
    for sld_id in list(id_list):
        if prs.part.related_part(sld_id.rId) is slide.part:
            _remove_from_sections(prs, sld_id.get("id"))
            id_list.remove(sld_id)
            prs.part.drop_rel(sld_id.rId)
            return


def copy_part(part: Part) -> Part:
    """Return a copy of *part* under a new name, with copies of every part it relates to."""
    package = part.package
    template = re.sub(r"\d*(\.\w+)$", r"%d\1", str(part.partname))
    new = PartFactory(
        PackURI(package.next_partname(template)), part.content_type, package, part.blob
    )
    mapping = {}
    for rId, rel in part.rels.items():
        if rel.is_external:
            mapping[rId] = new.relate_to(rel.target_ref, rel.reltype, is_external=True)
        else:
            mapping[rId] = new.relate_to(copy_part(rel.target_part), rel.reltype)
    element = getattr(new, "_element", None)
    if element is not None:
        _rewrite_rids(element, mapping)
    return new


def _copy_into(target: etree._Element, source: etree._Element) -> None:
    """Make the p:cSld *target* a copy of *source*, keeping *target*'s own spTree element."""
    for name, value in source.attrib.items():
        target.set(name, value)
    tree = target.spTree
    for child in list(target):
        if child is not tree:
            target.remove(child)
    for child in list(tree):
        tree.remove(child)
    after_tree = False
    for child in source:
        if child.tag == tree.tag:
            for grandchild in child:
                tree.append(deepcopy(grandchild))
            after_tree = True
        elif after_tree:
            target.append(deepcopy(child))
        else:
            tree.addprevious(deepcopy(child))


def _rewrite_rids(root: etree._Element, mapping: dict[str, str]) -> None:
    # One pass, old -> new, so a new rId equal to some other old rId is never rewritten twice.
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.startswith(f"{{{_R}}}") and value in mapping:
                element.set(name, mapping[value])


def _sections(prs: Presentation) -> list[etree._Element]:
    return list(prs.part._element.iter(f"{{{_P14}}}sldId"))


def _add_to_section(prs: Presentation, previous_id: str, new_id: str) -> None:
    for entry in _sections(prs):
        if entry.get("id") == previous_id:
            copy = deepcopy(entry)
            copy.set("id", new_id)
            entry.addnext(copy)
            return


def _remove_from_sections(prs: Presentation, slide_id: str) -> None:
    for entry in _sections(prs):
        if entry.get("id") == slide_id:
            entry.getparent().remove(entry)
