"""The web app in a real headless Chromium: a person who never saw YAML makes a valid spec and
downloads the deck."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

# A venv made before these libraries were added lacks them until it is reinstalled;
# CI installs them (.ci/run: pip install -e ".[test]"), so there nothing is skipped.
EXTRA = "not installed: pip install -e '.[test]'"
from pptx import Presentation

for _module in ("starlette", "uvicorn", "ruamel.yaml"):
    pytest.importorskip(_module, reason=EXTRA)
webdriver = pytest.importorskip("selenium.webdriver", reason=EXTRA)

from serve_helpers import copy_example, running_server  # noqa: E402

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def make_browser(profile: Path, downloads: Path, width: int = 1440, height: int = 1000):
    """Headless Chromium as root in a container: its own profile, downloads into a folder."""
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", f"--user-data-dir={profile}",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


@pytest.fixture
def browser(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = make_browser(tmp_path / "profile", downloads)
    driver.downloads = downloads
    yield driver
    driver.quit()


def _tab(driver, name: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f'#tabs [data-tab="{name}"]').click()


def _type(driver, key: str, text: str) -> None:
    field = WebDriverWait(driver, 10).until(EC.element_to_be_clickable((By.ID, f"in-{key}")))
    field.clear()
    field.send_keys(text)


def _error_at(driver, key: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f'[data-key="{key}"] > .error').text


def _wait_file(folder: Path, suffix: str, timeout: float = 120) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} was downloaded into {folder}")


def test_fill_the_required_fields_fix_a_money_typo_and_download_the_deck(browser, tmp_path):
    folder = tmp_path / "newbrand"
    folder.mkdir()
    with running_server(folder=folder) as (url, _):
        browser.get(url + "/?lang=en")
        wait = WebDriverWait(browser, 60)
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#tabs [data-tab="meta"]')))
        # An empty spec: the page says what is missing, as the command line would.
        wait.until(lambda d: "problem" in d.find_element(By.ID, "status").text)
        _tab(browser, "meta")
        _type(browser, "meta.year", "2027")
        _tab(browser, "brand")
        _type(browser, "brand.name", "Kite & Co")
        _tab(browser, "company")
        _type(browser, "company.name", "Kite Trading Ltd")
        _tab(browser, "targets")
        _type(browser, "targets.annual_gmv", "15w")
        wait.until(lambda d: _error_at(d, "targets.annual_gmv"))
        message = _error_at(browser, "targets.annual_gmv")
        assert "expected an amount of money" in message and "(for 'w' write 万)" in message
        # The server's messages follow the page's language: switched, the spec is checked again.
        Select(browser.find_element(By.ID, "lang")).select_by_value("zh-CN")
        wait.until(lambda d: "应为金额" in _error_at(d, "targets.annual_gmv"))
        assert "expected" not in _error_at(browser, "targets.annual_gmv")
        Select(browser.find_element(By.ID, "lang")).select_by_value("en")
        wait.until(lambda d: "expected an amount" in _error_at(d, "targets.annual_gmv"))
        assert "has-error" in browser.find_element(
            By.CSS_SELECTOR, '[data-key="targets.annual_gmv"]').get_attribute("class")
        # The targets tab carries a mark while it holds a problem.
        assert browser.find_element(By.CSS_SELECTOR, '#tabs [data-tab="targets"] .dot').is_displayed()

        _type(browser, "targets.annual_gmv", "15万")
        wait.until(lambda d: d.find_element(By.ID, "status").text == "The spec is valid.")
        assert _error_at(browser, "targets.annual_gmv") == ""
        # The key figures of `check` beside the form.
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, '[data-figure="year_gmv"]').text)
        assert browser.find_element(By.CSS_SELECTOR, '[data-figure="year_gmv"]').text == "¥150,000"
        # The deck's outline appears once the spec is valid.
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#preview .slide"))

        browser.find_element(By.CSS_SELECTOR, '#downloads [data-format="pptx"]').click()
        deck_path = _wait_file(browser.downloads, ".pptx")
        assert deck_path.name == "brand.pptx"
        deck = Presentation(str(deck_path))
        texts = " ".join(shape.text_frame.text for slide in deck.slides
                         for shape in slide.shapes if shape.has_text_frame)
        assert "Kite & Co" in texts
        assert len(deck.slides) >= 3

        # Save writes a spec the command line reads.
        browser.find_element(By.ID, "save").click()
        wait.until(lambda d: (folder / "brand.yaml").is_file())
    import planforge

    plan = planforge.load_plan(folder / "brand.yaml")
    assert (plan.brand.name, plan.company.name, plan.targets.year.gmv) == \
        ("Kite & Co", "Kite Trading Ltd", 150000)


def test_lists_add_remove_reorder_and_enum_labels(browser, tmp_path):
    spec = copy_example(tmp_path / "brand", "mutang-skincare.zh.yaml")
    with running_server(spec) as (url, _):
        browser.get(url + "/")
        wait = WebDriverWait(browser, 60)
        wait.until(lambda d: d.find_element(By.ID, "status").text == "填写无误。")
        assert browser.find_element(By.CSS_SELECTOR, '#tabs [data-tab="brand"]').text.startswith("品牌")
        _tab(browser, "products")
        names = lambda: [e.get_attribute("value") for e in browser.find_elements(  # noqa: E731
            By.CSS_SELECTOR, 'input[id^="in-products."][id$=".name"]')]
        first, second = names()[:2]
        # The role select shows the pack's Chinese labels for the schema's values.
        role = browser.find_element(By.ID, "in-products.0.role")
        assert "爆款" in [o.text for o in role.find_elements(By.TAG_NAME, "option")]
        browser.find_element(By.CSS_SELECTOR, '[data-key="products"] > .item > .item-tools '
                                              'button[aria-label="下移"]').click()
        assert names()[:2] == [second, first]
        count = len(names())
        browser.find_element(By.CSS_SELECTOR, '[data-add="products"]').click()
        assert len(names()) == count + 1
        # A new product without its required name is reported at that field.
        key = f"products.{count}.name"
        wait.until(lambda d: _error_at(d, key) or _error_at(d, f"products.{count}"))
        browser.find_elements(By.CSS_SELECTOR, '[data-key="products"] > .item > .item-tools '
                                               'button[aria-label="删除"]')[-1].click()
        wait.until(lambda d: d.find_element(By.ID, "status").text == "填写无误。")
        # The language switch changes the page's words.
        Select(browser.find_element(By.ID, "lang")).select_by_value("en")
        assert browser.find_element(By.CSS_SELECTOR, '#tabs [data-tab="products"]').text.startswith("Products")
