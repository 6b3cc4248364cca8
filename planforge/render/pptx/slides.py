"""Clone and delete slides, giving each clone its own chart parts and embedded workbooks.

python-pptx has no slide duplication. A clone here is a new slide on the same layout whose
``p:sld`` children are copies of the source's; every relationship of the source is re-created on
the clone with a fresh rId and the ``r:`` attributes of the copied XML are rewritten to match.
Images and hyperlinks are shared; charts (with their workbook, style and colour parts) are
copied, because a chart's data is replaced per clone.
"""

from __future__ import annotations

import re
import weakref
from copy import deepcopy

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part, PartFactory
from pptx.opc.packuri import PackURI
from pptx.parts.slide import NotesMasterPart, NotesSlidePart
from pptx.presentation import Presentation
from pptx.slide import Slide

from planforge.caches import remember
from planforge.render.pptx import partnames

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
_NOT_COPIED = {RT.SLIDE_LAYOUT, RT.NOTES_SLIDE}
_OWNED = {RT.CHART, RT.CHART_USER_SHAPES}
# A fresh notes slide per notes master, as python-pptx makes it (before any text is put in).
_NOTES_PROTOTYPES: weakref.WeakKeyDictionary[NotesMasterPart, etree._Element] = remember(
    weakref.WeakKeyDictionary()
)


def slide_index(prs: Presentation, slide: Slide) -> int:
    """Return the 0-based position of *slide* in the presentation."""
    for i, sld_id in enumerate(prs.slides._sldIdLst):
        if prs.part.related_part(sld_id.rId) is slide.part:
            return i
    raise ValueError("slide is not part of this presentation")


def clone_slide(prs: Presentation, source: Slide, position: int) -> Slide:
    """Insert a copy of *source* at *position* and return it."""
    # Not prs.slides.add_slide: the layout's placeholders it adds would be replaced right away.
    slide_rid, clone = prs.part.add_slide(source.slide_layout)
    partnames.added(clone.part)
    partnames.linked(prs.part, clone.part)
    id_list = prs.slides._sldIdLst
    new_id = id_list.add_sldId(slide_rid)
    id_list.remove(new_id)
    id_list.insert(position, new_id)
    _add_to_section(prs, id_list[position - 1].get("id"), new_id.get("id"))

    # Keep the clone's own p:cSld and p:spTree elements: python-pptx caches them.
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
            continue
        part = copy_part(rel.target_part) if rel.reltype in _OWNED else rel.target_part
        mapping[rId] = clone.part.relate_to(part, rel.reltype)
        partnames.linked(clone.part, part)
    _rewrite_rids(target, mapping)

    src_body = notes_body(source)
    if src_body is not None:
        _new_notes_slide(clone)
        dst_body = notes_body(clone)
        if dst_body is not None:
            for child in list(dst_body):
                dst_body.remove(child)
            for child in src_body:
                dst_body.append(deepcopy(child))
    return clone


def notes_body(slide: Slide) -> etree._Element | None:
    """Return the ``p:txBody`` of *slide*'s notes (``notes_slide.notes_text_frame``), if any."""
    return notes_body_of(slide.part)


def notes_body_of(slide_part: Part) -> etree._Element | None:
    """``notes_body`` of the slide whose part is *slide_part*."""
    # python-pptx's lookup, without a proxy object per placeholder: the first placeholder of
    # the notes slide that is a body; python-pptx gives it a text body when it has none.
    try:
        part = slide_part.part_related_by(RT.NOTES_SLIDE)
    except KeyError:
        return None
    for element in part._element.cSld.spTree.iter_ph_elms():
        if element.ph_type == PP_PLACEHOLDER.BODY:
            return element.get_or_add_txBody()
    return None


def _new_notes_slide(slide: Slide) -> None:
    """Give *slide* a new notes slide, the one python-pptx would make, from a cached copy."""
    package = slide.part.package
    master = package.presentation_part.notes_master_part
    proto = _NOTES_PROTOTYPES.get(master)
    if proto is None:
        # The first one through python-pptx; a new notes slide depends on the notes master only.
        _NOTES_PROTOTYPES[master] = deepcopy(slide.notes_slide.part._element)
        return
    part = NotesSlidePart(
        package.next_partname("/ppt/notesSlides/notesSlide%d.xml"),
        CT.PML_NOTES_SLIDE,
        package,
        deepcopy(proto),
    )
    part.relate_to(master, RT.NOTES_MASTER)
    part.relate_to(slide.part, RT.SLIDE)
    slide.part.relate_to(part, RT.NOTES_SLIDE)
    partnames.linked(slide.part, part)


def delete_slide(prs: Presentation, slide: Slide) -> None:
    """Remove *slide* (and, with it, the parts only it used) from the presentation."""
    id_list = prs.slides._sldIdLst
    for sld_id in list(id_list):
        if prs.part.related_part(sld_id.rId) is slide.part:
            _remove_from_sections(prs, sld_id.get("id"))
            id_list.remove(sld_id)
            target = prs.part.related_part(sld_id.rId)
            prs.part.drop_rel(sld_id.rId)
            partnames.dropped(prs.part, target)
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
