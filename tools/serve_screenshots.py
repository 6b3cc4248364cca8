"""Take the screenshots of `planforge serve` in docs/img (zh-CN and en) with headless Chromium.

    python tools/serve_screenshots.py [--out docs/img]

Serves copies of the examples, opens the page in Chromium (selenium), waits for the checks and
the slide pictures, and saves serve-zh.png (the Chinese example, its targets and the preview)
and serve-en.png (the English example with a mistyped amount, showing the message at its field).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def browser(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", f"--user-data-dir={profile}",
                "--window-size=1440,1300", "--hide-scrollbars"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                            options=options)


def serve(spec: Path):
    from planforge.serve import create_app
    from planforge.serve.command import bind, make_server

    sock = bind("127.0.0.1", 0)
    server = make_server(create_app(spec), sock, log=False)
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{sock.getsockname()[1]}"


def wait(predicate, timeout: float = 240.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:
            pass
        time.sleep(0.3)
    return False


def main() -> int:
    from selenium.webdriver.common.by import By

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planforge-shots-"))
    try:
        shutil.copytree(ROOT / "examples", work / "examples")
        for name, tab, out in (("mutang-skincare.zh.yaml", "targets", "serve-zh.png"),
                               ("ironleaf-cookware.en.yaml", "targets", "serve-en.png")):
            server, url = serve(work / "examples" / name)
            driver = browser(work / f"profile-{out}")
            try:
                driver.get(url + "/")
                wait(lambda: driver.find_element(By.ID, "status").get_attribute("class") == "good")
                driver.find_element(By.CSS_SELECTOR, f'#tabs [data-tab="{tab}"]').click()
                if out == "serve-en.png":
                    field = driver.find_element(By.ID, "in-targets.annual_budget")
                    field.clear()
                    field.send_keys("80w")
                    wait(lambda: driver.find_element(
                        By.CSS_SELECTOR, '[data-key="targets.annual_budget"] > .error').text)
                else:
                    wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#preview img")
                         and all(i.get_attribute("naturalWidth") != "0" for i in
                                 driver.find_elements(By.CSS_SELECTOR, "#preview img")))
                time.sleep(0.5)
                args.out.mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(args.out / out))
                print(f"wrote {args.out / out}")
            finally:
                driver.quit()
                server.should_exit = True
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
