"""The web app's HTTP API, over real HTTP: check, build in every format, limits, concurrency."""

from __future__ import annotations

import io
import json
import threading
import zipfile

import pytest

# A venv made before these libraries were added lacks them until it is reinstalled;
# CI installs them (.ci/run: pip install -e ".[test]"), so there nothing is skipped.
EXTRA = "not installed: pip install -e '.[test]'"
from docx import Document
from pptx import Presentation

# The web app's libraries (base dependencies, but a venv made before they were added lacks
# them until it is reinstalled) and the test clients.
for _module in ("starlette", "uvicorn", "ruamel.yaml"):
    pytest.importorskip(_module, reason=EXTRA)
httpx = pytest.importorskip("httpx", reason=EXTRA)
openpyxl = pytest.importorskip("openpyxl", reason=EXTRA)

from serve_helpers import copy_example, running_server  # noqa: E402

import planforge  # noqa: E402
from planforge.resources import schema_file  # noqa: E402

BAD_MONEY = ("planforge: 1\nmeta: {year: 2027, locale: en}\nbrand: {name: Kite}\n"
             "company: {name: Kite Ltd}\ntargets:\n  annual_gmv: 15w\n")


@pytest.fixture
def served(tmp_path):
    spec = copy_example(tmp_path / "brand")
    with running_server(spec) as (url, app):
        with httpx.Client(base_url=url, timeout=300) as client:
            yield client, spec, app


def test_page_and_its_assets_are_served_from_the_package(served):
    client, _, _ = served
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    for asset in ("/static/app.js", "/static/app.css", "/static/i18n.js"):
        got = client.get(asset)
        assert got.status_code == 200 and len(got.content) > 500, asset
    # Nothing is fetched from elsewhere: every script and style is the server's own.
    assert "http://" not in page.text and "https://" not in page.text
    assert json.loads(client.get("/api/schema").content) == json.loads(schema_file().read_text())


def test_check_gives_the_same_report_as_the_command_line(served, cli):
    client, spec, _ = served
    got = client.post("/api/check", content=spec.read_bytes())
    assert got.status_code == 200
    # The command line's envelope, one file in it: the same figures and the same diagnostics.
    answer = got.json()
    assert answer["version"] == 1
    (entry,) = answer["files"]
    result = cli("check", spec, "--format", "json")
    (expected,) = json.loads(result.stdout)["files"]
    assert entry["file"] == spec.name and entry["status"] == "ok"
    for key in ("year", "quarters", "months", "channel_budget", "readiness"):
        assert entry["figures"][key] == expected["figures"][key], key
    strip = [{k: v for k, v in d.items() if k != "file"} for d in expected["diagnostics"]]
    assert [{k: v for k, v in d.items() if k != "file"} for d in entry["diagnostics"]] == strip
    assert all(d["file"] == spec.name for d in entry["diagnostics"])


def test_a_bad_spec_is_422_with_line_column_and_the_clis_message(served):
    client, spec, _ = served
    got = client.post("/api/check", content=BAD_MONEY.encode())
    assert got.status_code == 422
    (entry,) = got.json()["files"]
    assert entry["status"] == "invalid" and entry["figures"] is None
    (problem,) = entry["diagnostics"]
    assert problem["severity"] == "error" and problem["code"] == "PF114"
    assert problem["path"] == "$.targets.annual_gmv"
    assert (problem["line"], problem["column"]) == (6, 15)
    assert "(for 'w' write 万)" in problem["message"]
    assert problem["file"] == spec.name          # the user's file name, not a server path
    built = client.post("/api/build?format=pptx", content=BAD_MONEY.encode())
    assert built.status_code == 422
    assert built.json()["errors"][0]["path"] == "$.targets.annual_gmv"


def test_json_bodies_are_checked_as_the_yaml_save_would_write(served):
    client, spec, _ = served
    data = client.get("/api/spec").json()["data"]
    data["targets"]["annual_gmv"] = "15w"
    got = client.post("/api/check", content=json.dumps(data),
                      headers={"Content-Type": "application/json"})
    assert got.status_code == 422
    assert got.json()["files"][0]["diagnostics"][0]["path"] == "$.targets.annual_gmv"


def test_build_every_format(served):
    client, spec, _ = served
    body = spec.read_bytes()
    plan = planforge.load_plan(spec)
    pptx = client.post("/api/build?format=pptx", content=body)
    assert pptx.status_code == 200
    assert f'filename="{spec.stem}.pptx"' in pptx.headers["content-disposition"]
    deck = Presentation(io.BytesIO(pptx.content))
    assert len(deck.slides) > 10
    assert pptx.content == planforge.render(spec, formats=["pptx"]).pptx
    docx = client.post("/api/build?format=docx", content=body)
    assert docx.status_code == 200
    assert any(plan.brand.name in p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    xlsx = client.post("/api/build?format=xlsx", content=body)
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content), data_only=True)
    assert book["Months"]["C14"].value == plan.targets.year.gmv
    bad = client.post("/api/build?format=odp", content=body)
    assert bad.status_code == 400 and "unknown format" in bad.json()["errors"][0]["message"]


@pytest.mark.libreoffice
def test_build_pdfs(served):
    client, spec, _ = served
    for doc in ("deck", "plan"):
        got = client.post(f"/api/build?format=pdf&doc={doc}", content=spec.read_bytes())
        assert got.status_code == 200, got.text
        assert got.content.startswith(b"%PDF")
        assert f'filename="{spec.stem}-{doc}.pdf"' in got.headers["content-disposition"]


def test_an_oversized_upload_is_refused_and_the_server_goes_on(tmp_path):
    from planforge.serve.workspace import Limits

    spec = copy_example(tmp_path / "brand")
    with running_server(spec, limits=Limits(body_bytes=64 * 1024)) as (url, _):
        with httpx.Client(base_url=url, timeout=120) as client:
            big = b"# " + b"x" * (200 * 1024) + b"\n" + spec.read_bytes()
            got = client.post("/api/check", content=big)
            assert got.status_code == 413
            assert "larger than the limit of 65,536 bytes" in got.json()["errors"][0]["message"]
            # Streamed without a length: refused as well, once the limit is passed.
            streamed = client.post("/api/check", content=iter([big[:40000], big[40000:]]))
            assert streamed.status_code == 413
            assert client.post("/api/check", content=spec.read_bytes()).status_code == 200


def test_two_builds_at_once_both_succeed(served):
    client, spec, _ = served
    body = spec.read_bytes()
    zh = copy_example(spec.parent, "mutang-skincare.zh.yaml").read_bytes()
    results: dict[str, httpx.Response] = {}

    def build(key: str, fmt: str, content: bytes) -> None:
        with httpx.Client(base_url=str(client.base_url), timeout=300) as own:
            results[key] = own.post(f"/api/build?format={fmt}", content=content)

    threads = [threading.Thread(target=build, args=("en", "pptx", body)),
               threading.Thread(target=build, args=("zh", "docx", zh))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["en"].status_code == 200 and results["zh"].status_code == 200
    assert results["en"].content == planforge.render(spec, formats=["pptx"]).pptx
    assert Document(io.BytesIO(results["zh"].content)).paragraphs


def test_a_failing_build_reports_and_the_server_keeps_serving(served, monkeypatch):
    client, spec, _ = served
    missing_pack = spec.read_text(encoding="utf-8").replace("meta:\n", "meta:\n  template: nosuch\n", 1)
    got = client.post("/api/build?format=pptx", content=missing_pack.encode())
    assert got.status_code == 422
    assert "nosuch" in got.json()["errors"][0]["message"]

    from planforge import api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "render", broken)
    got = client.post("/api/build?format=pptx", content=spec.read_bytes())
    assert got.status_code == 500
    assert "internal error: RuntimeError: boom" in got.json()["errors"][0]["message"]
    monkeypatch.undo()
    assert client.post("/api/build?format=pptx", content=spec.read_bytes()).status_code == 200


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def test_a_zip_of_a_spec_folder_with_its_images(served, tmp_path):
    client, spec, _ = served
    files = {f"brand/{spec.name}": spec.read_bytes()}
    for image in (spec.parent / "assets").glob("ironleaf-*.png"):
        files[f"brand/assets/{image.name}"] = image.read_bytes()
    got = client.post("/api/build?format=pptx", content=_zip(files),
                      headers={"Content-Type": "application/zip"})
    assert got.status_code == 200
    assert got.content == planforge.render(spec, formats=["pptx"]).pptx
    # Without the images the spec is reported, image by image.
    got = client.post("/api/check", content=_zip({spec.name: spec.read_bytes()}))
    assert got.status_code == 422
    assert any(p["path"] == "$.brand.logo" for p in got.json()["files"][0]["diagnostics"])


def test_a_zip_that_escapes_its_folder_is_refused(served, tmp_path):
    client, spec, _ = served
    got = client.post("/api/check", content=_zip({"../evil.yaml": spec.read_bytes()}))
    assert got.status_code == 422
    assert "outside its folder" in got.json()["files"][0]["diagnostics"][0]["message"]
    assert not (tmp_path / "evil.yaml").exists()
    got = client.post("/api/check", content=b"PK\x03\x04 not really a zip")
    assert got.status_code == 422
    assert "not a readable zip" in got.json()["files"][0]["diagnostics"][0]["message"]


def test_save_keeps_the_comments_and_round_trips(served):
    client, spec, _ = served
    before = spec.read_text(encoding="utf-8")
    report_before = planforge.check(spec)
    data = client.get("/api/spec").json()["data"]
    got = client.put("/api/spec", content=json.dumps(data),
                     headers={"Content-Type": "application/json"})
    assert got.status_code == 200 and got.json()["saved"] == spec.name
    after = spec.read_text(encoding="utf-8")
    comments = [ln.strip() for ln in before.splitlines() if ln.strip().startswith("#")]
    assert comments and all(c in after for c in comments)
    report_after = planforge.check(spec)
    for key in ("year", "months", "channel_budget", "readiness", "warnings"):
        assert report_after[key] == report_before[key], key
    # An edit made in the page lands in the file; the rest stays as written.
    data["brand"]["slogan"] = "Pans for every kitchen"
    client.put("/api/spec", content=json.dumps(data), headers={"Content-Type": "application/json"})
    assert planforge.load_plan(spec).brand.slogan == "Pans for every kitchen"
    assert all(c in spec.read_text(encoding="utf-8") for c in comments)


def test_a_new_spec_is_written_into_the_folder(tmp_path):
    with running_server(folder=tmp_path) as (url, _):
        with httpx.Client(base_url=url, timeout=60) as client:
            assert client.get("/api/spec").json() == {"name": "brand.yaml", "exists": False,
                                                      "data": None}
            data = {"planforge": 1, "meta": {"year": 2027}, "brand": {"name": "青岚",
                    "story": "第一段。\n\n第二段。"}, "company": {"name": "青岚茶业"},
                    "targets": {"annual_gmv": "600万"}}
            assert client.put("/api/spec", content=json.dumps(data)).status_code == 200
    plan = planforge.load_plan(tmp_path / "brand.yaml")
    assert plan.targets.year.gmv == 6_000_000
    assert plan.brand.story_paragraphs == ["第一段。", "第二段。"]


def test_image_upload_is_stored_in_the_specs_folder(served):
    client, spec, _ = served
    png = (spec.parent / "assets" / "ironleaf-logo.png").read_bytes()
    got = client.post("/api/image?name=../../new logo.png", content=png)
    assert got.status_code == 200
    assert got.json()["path"] == "assets/new-logo.png"
    assert (spec.parent / "assets" / "new-logo.png").read_bytes() == png
    assert client.get("/assets/assets/new-logo.png").content == png
    refused = client.post("/api/image?name=logo.png", content=b"GIF89a....")
    assert refused.status_code == 422 and "not a PNG or JPEG" in refused.json()["errors"][0]["message"]
    assert client.get("/assets/../../etc/passwd").status_code == 404


def test_preview_gives_the_slide_outline(served):
    client, spec, _ = served
    got = client.post("/api/preview", content=spec.read_bytes())
    assert got.status_code == 200
    slides = got.json()["slides"]
    assert len(slides) == planforge.render(spec, formats=["pptx"]).slides
    assert any(s["tables"] for s in slides) and any(s["charts"] for s in slides)
    assert slides[0]["title"]


def test_another_sites_page_cannot_write_the_spec(served):
    client, spec, _ = served
    before = spec.read_bytes()
    got = client.put("/api/spec", content=json.dumps({"planforge": 1}),
                     headers={"Origin": "http://evil.example", "Content-Type": "text/plain"})
    assert got.status_code == 403
    assert spec.read_bytes() == before
    # A name that is not this machine's (DNS rebinding) is refused outright.
    assert client.get("/api/spec", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.libreoffice
def test_slide_pictures_are_drawn_in_the_background_and_kept_by_content(served):
    import time

    client, spec, _ = served
    first = client.post("/api/preview", content=spec.read_bytes()).json()
    assert first["thumbnails"] is True
    deadline = time.monotonic() + 300
    while (status := client.get(f"/api/thumbs/{first['key']}").json())["status"] == "pending":
        assert time.monotonic() < deadline, "no slide pictures within 300 s"
        time.sleep(0.5)
    assert status == {"status": "ready", "count": len(first["slides"])}
    png = client.get(f"/api/thumbs/{first['key']}/1.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    # The same spec again: the same key, ready at once.
    again = client.post("/api/preview", content=spec.read_bytes()).json()
    assert again["key"] == first["key"]
    assert client.get(f"/api/thumbs/{again['key']}").json()["status"] == "ready"
    assert client.get(f"/api/thumbs/{first['key']}/999.png").status_code == 404


def test_open_reads_an_uploaded_spec_for_the_form(tmp_path):
    spec = copy_example(tmp_path / "brand")
    with running_server(folder=tmp_path / "brand") as (url, _):
        with httpx.Client(base_url=url, timeout=60) as client:
            got = client.post("/api/open?name=mine.yaml", content=spec.read_bytes())
            assert got.status_code == 200
            assert got.json()["name"] == "mine.yaml"
            assert got.json()["data"]["brand"]["name"] == planforge.load_plan(spec).brand.name
            # Save now writes the opened name, beside the images it refers to.
            client.put("/api/spec", content=json.dumps(got.json()["data"]))
            assert planforge.load_plan(tmp_path / "brand" / "mine.yaml").brand.name
            bad = client.post("/api/open?name=mine.yaml", content=b"planforge: 1\nmeta: [\n")
            assert bad.status_code == 422
            assert bad.json()["errors"][0]["file"] == "mine.yaml" and bad.json()["errors"][0]["line"]
            assert client.post("/api/open?name=evil.exe", content=b"x").status_code == 422


# -- messages in the page's language ----------------------------------------------------------

def _message(got: httpx.Response) -> str:
    body = got.json()
    return (body["files"][0]["diagnostics"] if "files" in body else body["errors"])[0]["message"]


def test_an_oversized_upload_is_refused_in_the_pages_language(tmp_path):
    from planforge.serve.workspace import Limits

    spec = copy_example(tmp_path / "brand")
    big = b"# " + b"x" * (100 * 1024) + b"\n"
    with running_server(spec, limits=Limits(body_bytes=64 * 1024)) as (url, _):
        with httpx.Client(base_url=url, timeout=120) as client:
            zh = client.post("/api/check", content=big, headers={"Accept-Language": "zh-CN"})
            assert zh.status_code == 413
            assert _message(zh) == "上传的内容超过了 65,536 字节的上限"
            by_query = client.post("/api/check?lang=zh-CN", content=big)
            assert _message(by_query) == _message(zh)
            en = client.post("/api/check", content=big, headers={"Accept-Language": "en"})
            assert _message(en) == "the upload is larger than the limit of 65,536 bytes"
            # The browser's own list: the first language planforge speaks, by weight.
            ranked = client.post("/api/check", content=big,
                                 headers={"Accept-Language": "fr;q=1, en;q=0.5, zh-CN;q=0.8"})
            assert _message(ranked) == _message(zh)


def test_validation_errors_and_zip_refusals_follow_the_page(served):
    client, _spec, _ = served
    zh = client.post("/api/check", content=BAD_MONEY.encode(), headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 422 and "万" in _message(zh)
    assert "for 'w' write" not in _message(zh)
    en = client.post("/api/check", content=BAD_MONEY.encode(), headers={"Accept-Language": "en"})
    assert "(for 'w' write 万)" in _message(en)
    bad_zip = client.post("/api/check", content=b"PK\x03\x04 not really a zip",
                          headers={"Accept-Language": "zh-CN"})
    assert _message(bad_zip) == "上传的内容不是可读取的 zip 文件"
    fmt = client.post("/api/build?format=odp", content=b"x", headers={"Accept-Language": "zh-CN"})
    assert fmt.status_code == 400 and _message(fmt).startswith("未知格式 'odp'")


def test_without_a_page_language_the_specs_locale_speaks(served, any_language):
    client, _spec, _ = served
    zh_spec = BAD_MONEY.replace("locale: en", "locale: zh-CN").encode()
    zh = client.post("/api/check", content=zh_spec)
    en = client.post("/api/check", content=BAD_MONEY.encode())
    assert "万" in _message(zh) and "for 'w' write" not in _message(zh)
    assert "(for 'w' write 万)" in _message(en)
    # The page's language wins over the spec's.
    assert _message(client.post("/api/check", content=zh_spec,
                                headers={"Accept-Language": "en"})) == _message(en)


def test_two_requests_in_different_languages_at_once_do_not_mix(served, monkeypatch):
    """Both requests are inside the check at the same moment, each in its own language."""
    from planforge import api

    client, _spec, _ = served
    together = threading.Barrier(2, timeout=30)
    real_check = api.check

    def check_together(*args, **kwargs):
        together.wait()
        return real_check(*args, **kwargs)

    monkeypatch.setattr(api, "check", check_together)
    results: dict[str, httpx.Response] = {}

    def ask(lang: str) -> None:
        with httpx.Client(base_url=str(client.base_url), timeout=120) as own:
            results[lang] = own.post("/api/check", content=BAD_MONEY.encode(),
                                     headers={"Accept-Language": lang})

    threads = [threading.Thread(target=ask, args=(lang,)) for lang in ("zh-CN", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert "for 'w' write" not in _message(results["zh-CN"]) and "万" in _message(results["zh-CN"])
    assert "(for 'w' write 万)" in _message(results["en"])
