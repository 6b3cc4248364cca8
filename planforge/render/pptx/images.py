"""Put an image into the box of a shape named ``image:<expr>``, fitted with its aspect kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pptx.parts.image import Image
from pptx.shapes.base import BaseShape

from planforge.errors import AssetError
from planforge.i18n import _
from planforge.render.assets import resolve_asset
from planforge.render.imagefit import fitted, oriented_size
from planforge.render.pptx import partnames


def place_image(
    shapes: Any, shape: BaseShape, value: Any, base_dir: Path | None, where: str,
    pack_dir: Path | None = None,
) -> None:
    """Replace *shape* by the picture at path *value* centred in its box; None just removes it.

    The path is resolved by planforge's one asset rule (``planforge.render.assets``): inside
    the spec's folder *base_dir* or the pack's folder *pack_dir*, a PNG or JPEG that decodes.
    """
    if value is None or value == "":
        remove_shape(shape)
        return
    path = resolve_asset(value, base_dir, pack_dir, where)
    try:
        Image.from_file(str(path))
        width_px, height_px = oriented_size(path)  # a photo's EXIF rotation counts
    except Exception as exc:  # header parsing fails on non-images
        raise AssetError(_("{where}: the image {path} is not a PNG or JPEG image").format(
            where=where, path=repr(value))) from exc
    left, top, width, height = shape.left or 0, shape.top or 0, shape.width or 0, shape.height or 0
    w, h = fit_box(width, height, width_px, height_px)
    source = fitted(path, w, h)  # no more pixels than the frame needs (planforge.render.imagefit)
    picture = shapes.add_picture(source if not isinstance(source, Path) else str(source),
                                 left + (width - w) // 2, top + (height - h) // 2, w, h)
    picture.name = shape.name.replace("image:", "Image ", 1)
    shape._element.addprevious(picture._element)
    remove_shape(shape)


def fit_box(box_w: int, box_h: int, image_w: int, image_h: int) -> tuple[int, int]:
    """Return the largest (width, height) of an image's aspect that fits the box."""
    if image_w <= 0 or image_h <= 0 or box_w <= 0 or box_h <= 0:
        return box_w, box_h
    if box_w * image_h > box_h * image_w:
        return round(box_h * image_w / image_h), box_h
    return box_w, round(box_w * image_h / image_w)


def remove_shape(shape: BaseShape) -> None:
    """Delete *shape*, dropping its picture relationship when nothing else uses it."""
    element = shape._element
    rids = [
        value
        for node in element.iter()
        for key, value in node.attrib.items()
        if key.endswith("}embed") or key.endswith("}link")
    ]
    element.getparent().remove(element)
    for rid in rids:
        if rid in shape.part.rels:
            rel = shape.part.rels[rid]
            target = None if rel.is_external else rel.target_part
            shape.part.drop_rel(rid)
            partnames.dropped(shape.part, target)
