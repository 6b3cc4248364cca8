"""Product images are embedded at the size their frame needs, not as the camera took them."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES


def _camera_jpeg(path: Path, size=(4000, 3000)) -> None:
    from PIL import Image

    noise = Image.effect_noise(size, 64)
    Image.merge(
        "RGB",
        [
            noise,
            noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
            Image.linear_gradient("L").resize(size),
        ],
    ).save(path, quality=95)


def _logo_png(path: Path) -> None:
    from PIL import Image

    logo = Image.new("RGBA", (1600, 1600), (0, 0, 0, 0))
    logo.paste((200, 40, 40, 255), (400, 400, 1200, 1200))
    logo.save(path)


@pytest.fixture(scope="module")
def heavy_spec(tmp_path_factory) -> Path:
    """The English example with 30 products, each with its own 4000 x 3000 camera photo."""
    import yaml

    work = tmp_path_factory.mktemp("heavy")
    source = EXAMPLES / "ironleaf-cookware.en.yaml"
    for item in EXAMPLES.iterdir():
        if item.is_dir():
            shutil.copytree(item, work / item.name)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    (work / "photos").mkdir()
    products = []
    for i in range(30):
        photo = work / "photos" / f"p{i}.jpg"
        if i == 0:
            _camera_jpeg(photo)
        else:
            shutil.copy(work / "photos" / "p0.jpg", photo)
            with photo.open("ab") as fh:  # a different file each time, the same picture
                fh.write(bytes([i]))
        base = dict(data["products"][i % len(data["products"])])
        base.pop("sales_share", None)
        products.append({**base, "name": f"{base['name']} {i}", "image": f"photos/p{i}.jpg"})
    data["products"] = products
    _logo_png(work / "logo.png")
    data["brand"]["logo"] = "logo.png"
    spec = work / "heavy.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return spec


def test_a_thirty_photo_deck_stays_small(heavy_spec, tmp_path, monkeypatch):
    from PIL import Image

    from planforge import api

    # Thirty photos to decode on a busy CI machine: this test is about sizes, not speed.
    monkeypatch.setenv("PLANFORGE_RENDER_TIMEOUT", "900")
    photo_bytes = (heavy_spec.parent / "photos" / "p0.jpg").stat().st_size
    assert photo_bytes > 4_000_000  # like a phone camera's JPEG
    result = api.build(heavy_spec, tmp_path, formats=("pptx", "docx"))
    deck = next(p for p in result.outputs if p.suffix == ".pptx")
    assert deck.stat().st_size < 10_000_000 < 30 * photo_bytes  # mailable, not 30 photos' worth
    with zipfile.ZipFile(deck) as z:
        media = [n for n in z.namelist() if n.startswith("ppt/media/")]
        sizes = [Image.open(io.BytesIO(z.read(n))).size for n in media]
        pngs = [Image.open(io.BytesIO(z.read(n))) for n in media if n.endswith(".png")]
    assert max(w for w, _ in sizes) < 1600  # no 4000-pixel photo left
    assert any(im.mode == "RGBA" and im.getpixel((0, 0))[3] == 0 for im in pngs)  # logo keeps alpha
    plan = next(p for p in result.outputs if p.suffix == ".docx")
    assert plan.stat().st_size < 10_000_000


def test_downscaling_is_deterministic_and_keeps_the_aspect(tmp_path):
    from PIL import Image

    from planforge.caches import forget
    from planforge.render.imagefit import fitted

    photo = tmp_path / "p.jpg"
    _camera_jpeg(photo, (3000, 2000))
    first = fitted(photo, 914_400 * 3, 914_400 * 2).getvalue()
    forget()
    again = fitted(photo, 914_400 * 3, 914_400 * 2).getvalue()
    assert first == again
    assert Image.open(io.BytesIO(first)).size == (576, 384)  # 3 x 2 inches at 192 px/inch


def test_a_small_image_is_embedded_as_it_is(tmp_path):
    from planforge.render.imagefit import fitted

    logo = tmp_path / "logo.png"
    _logo_png(logo)
    assert fitted(logo, 914_400 * 10, 914_400 * 10) == logo


def test_exif_rotation_is_applied(tmp_path):
    from PIL import Image

    from planforge.render.imagefit import fitted, oriented_size

    photo = tmp_path / "portrait.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to show": a phone held upright
    Image.new("RGB", (400, 300), (10, 120, 200)).save(photo, exif=exif)
    assert oriented_size(photo) == (300, 400)
    shown = Image.open(fitted(photo, 914_400 * 3, 914_400 * 4))
    assert shown.size == (300, 400) and not shown.getexif().get(0x0112)
