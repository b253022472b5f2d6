"""The HTML checklist in a real browser (headless Chromium through Selenium): ticks survive a
reload, today's share shows first with the rest one click away, the page's own script and
style run under its strict policy, and a page of 10,000 removals opens.

Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them); skipped, saying
why, only where no browser can be had. How long the page takes to load is measured in
scripts/bench_lists.py, not asserted here.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from big_network import build_network

from prune_tui.exports.formats import write_export
from prune_tui.services.removals import set_per_day
from prune_tui.store import open_database

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def _browser() -> tuple[str, str] | None:
    driver = shutil.which("chromedriver")
    binary = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    return (driver, binary) if driver and binary else None


def start_browser() -> Any:
    """A headless Chromium, or a skip that says what is missing."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    found = _browser()
    if found is None:
        pytest.skip(
            "no Chromium here: install Debian's chromium and chromium-driver "
            "(apt-get install -y chromium chromium-driver), as .ci/run does"
        )
    driver_path, binary = found
    options = Options()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver_path), options=options)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = start_browser()
    try:
        yield driver
    finally:
        driver.quit()


def export_page(db_path: Path, target: Path) -> Path:
    db = open_database(db_path)
    try:
        out = io.StringIO()
        write_export(db, out, fmt="html", only="remove")
    finally:
        db.close()
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


def shown_rows(browser: Any) -> list[Any]:
    """The removal rows drawn (not hidden behind "Show all"), found by the browser itself."""
    return list(
        browser.execute_script(
            "return Array.from(document.querySelectorAll('#share > li'))"
            ".filter(function (li) { return li.offsetParent !== null; })"
        )
    )


def names(rows: list[Any]) -> list[str]:
    from selenium.webdriver.common.by import By

    return [row.find_element(By.TAG_NAME, "a").text.split()[0] for row in rows]


def policy_complaints(browser: Any) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"] or entry["level"] == "SEVERE"
    ]


def test_ticks_survive_a_reload_and_the_rest_is_one_click_away(
    browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    db_path = build_network(tmp_path / "n.db", 12, remove=8, ticked=1)
    db = open_database(db_path)
    set_per_day(db, 3)
    db.close()
    page = export_page(db_path, tmp_path / "checklist.html")
    browser.get(page.as_uri())
    browser.execute_script("window.localStorage.clear()")
    browser.get(page.as_uri())

    progress = browser.find_element(By.ID, "progress")
    assert progress.text == "1 of 8 ticked"  # the script ran, under the page's policy
    # Today's three; the one ticked in the app behind "Show all".
    assert names(shown_rows(browser)) == ["Person00001", "Person00002", "Person00003"]
    browser.find_element(By.CSS_SELECTOR, "label[for=all-remove]").click()
    rows = shown_rows(browser)
    assert len(rows) == 8
    link = rows[1].find_element(By.TAG_NAME, "a")
    assert link.get_attribute("href") == "https://www.linkedin.com/in/p1"
    assert browser.execute_script("return document.querySelector('base').target") == "_blank"

    boxes = [r.find_element(By.CSS_SELECTOR, "input") for r in rows]
    boxes[1].click()
    boxes[6].click()
    assert progress.text == "3 of 8 ticked"

    browser.refresh()
    progress = browser.find_element(By.ID, "progress")
    assert progress.text == "3 of 8 ticked"
    boxes = browser.find_elements(By.CSS_SELECTOR, "#share > li > input")
    assert [box.is_selected() for box in boxes] == [
        True, True, False, False, False, False, True, False,
    ]  # fmt: skip
    # Today's share follows the ticks: the first three not ticked yet.
    assert names(shown_rows(browser)) == ["Person00002", "Person00003", "Person00004"]
    boxes[2].click()
    boxes[3].click()
    assert not browser.find_element(By.ID, "met").is_displayed()
    boxes[4].click()
    assert browser.find_element(By.ID, "met").is_displayed()  # today's pace met
    assert progress.text == "6 of 8 ticked"
    assert policy_complaints(browser) == []


def test_a_page_of_10000_removals_opens(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    db_path = build_network(tmp_path / "big.db", 30_000, remove=10_000, ticked=300)
    page = export_page(db_path, tmp_path / "big.html")
    browser.get(page.as_uri())
    browser.execute_script("window.localStorage.clear()")
    browser.get(page.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    assert browser.find_element(By.ID, "progress").text == "300 of 10000 ticked"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#share > li")) == 10_000
    shown = shown_rows(browser)
    assert len(shown) == 25  # today's share; the 300 ticked in the app behind "Show all"
    first_open = shown[0].find_element(By.CSS_SELECTOR, "input")
    first_open.click()
    assert browser.find_element(By.ID, "progress").text == "301 of 10000 ticked"
    assert policy_complaints(browser) == []
