"""End to end in headless Chromium against a real server: sign in, upload the example, watch the
progress, review a possible match with the keyboard, find the decision in the audit export,
download the PDF report and open the map; disposition a flag (htmx swaps its block in place).
Every page must load without a console error, which is also how a Content-Security-Policy
violation (an inline script or style) would show.

The server is `threadline serve` in a subprocess on a free loopback port, over the database named
by THREADLINE_E2E_DB (default: a fresh SQLite file), with one reviewer account; the browser is
the system's Chromium (Debian's `chromium` package), never one downloaded by Playwright."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DB_ENV = "THREADLINE_E2E_DB"
_START_TIMEOUT_S = 90.0


@dataclass(frozen=True)
class LiveServer:
    url: str
    user: str
    password: str
    log: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _add_reviewer(threadline: str, db_url: str, name: str, password: str) -> None:
    """With the real command, which prints the user's new API token as its last line."""
    made = subprocess.run(
        [threadline, "user", "add", name, "--role", "reviewer", "--password-stdin", "--db", db_url],
        input=password + "\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().splitlines()[-1].startswith("tl_")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("e2e")
    db_url = os.environ.get(DB_ENV) or f"sqlite:///{workdir / 'e2e.db'}"
    # A new name each run: THREADLINE_E2E_DB may name a database that outlives the run.
    user, password = f"e2e-{uuid.uuid4().hex[:8]}", "correct horse battery staple"
    threadline = shutil.which("threadline", path=str(Path(sys.executable).parent))
    assert threadline, "the threadline command is not installed next to this Python"
    _add_reviewer(threadline, db_url, user, password)
    port = _free_port()
    log = workdir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [threadline, "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db_url],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log)
        yield LiveServer(url, user, password, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.25)
    pytest.fail(f"server not healthy after {_START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


# Module scope, not session: the sync Playwright API keeps an event loop running on this thread,
# which would break later tests that call asyncio.run().
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium (scripts/test does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "suppliers.csv"
TIMEOUT_MS = 30_000


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, console_errors: list[str]) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(f"{message.location.get('url')}: {message.text}")

    tab.on("console", on_console)
    tab.on("pageerror", lambda exc: console_errors.append(str(exc)))
    yield tab
    context.close()
    assert console_errors == [], f"server log: {live_server.log}"


def sign_in(page: Page, server: LiveServer, console_errors: list[str]) -> None:
    response = page.goto("/ui/")
    assert response is not None and response.status == 401
    # The browser reports the 401 itself; it is the one error expected on the way.
    assert [e for e in console_errors if "401" not in e] == []
    console_errors.clear()
    page.get_by_label("User name").fill(server.user)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Screenings", exact=True)).to_be_visible()


def test_screen_review_audit_report_and_map(
    page: Page, live_server: LiveServer, console_errors: list[str]
) -> None:
    sign_in(page, live_server, console_errors)

    page.get_by_label(re.compile("CSV, TSV or XLSX file")).set_input_files(EXAMPLE)
    page.get_by_role("button", name="Screen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/ui/screenings/\w+$"))
    screening_url = page.url
    # The progress region polls until the job is done, then the page reloads with the results.
    expect(page.locator("#progress")).to_be_attached()
    expect(page.locator("#results")).to_be_visible(timeout=TIMEOUT_MS)  # the job may queue
    results = page.locator("#results tbody tr")
    expect(results).to_have_count(12)
    expect(results.first).to_contain_text("prohibited")

    page.get_by_label("Tier").select_option("no signal found")
    page.get_by_role("button", name="Filter").click()
    # Three example rows have no list or address signal; one of them ships Chinese knitwear, a
    # UFLPA high-priority sector, so only two are left with no signal found.
    expect(results).to_have_count(2)
    expect(page.get_by_text("Northwind Example Textiles Ltd")).to_be_visible()

    page.goto(screening_url)
    page.get_by_role("link", name=re.compile(r"^Review queue")).click()
    queue = page.locator("ol.queue > li")
    waiting = queue.count()
    assert waiting >= 1
    first = queue.first
    question = first.get_by_role("heading").inner_text()
    first.get_by_label("Comment").fill("different legal person: the parent, not the Shanshan plant")
    # From the comment box, Escape-free keyboard use: leave the box with Tab, then press n.
    page.keyboard.press("Shift+Tab")
    first.focus()
    page.keyboard.press("n")
    expect(page.get_by_role("status")).to_contain_text("not same")
    expect(queue).to_have_count(waiting - 1)
    assert question not in [q.inner_text() for q in page.locator("ol.queue h2").all()]

    with page.expect_download() as audit:
        page.get_by_role("link", name="Audit export (CSV)").click()
    audit_rows = list(csv.DictReader(io.StringIO(Path(audit.value.path()).read_text("utf-8"))))
    mine = [row for row in audit_rows if live_server.user in row.values()]
    assert mine, audit_rows
    assert any("not" in value and "same" in value for value in mine[-1].values())
    assert "different legal person" in " ".join(mine[-1].values())

    page.goto(screening_url)
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Map").last.click()
    drawn = page.locator("#map[data-ready]")
    expect(drawn).to_be_attached()
    assert int(drawn.get_attribute("data-ready") or 0) > 490  # facilities plus located suppliers
    expect(page.locator("#map canvas")).to_be_visible()


def test_erp_workbook_as_of_columns_then_a_flag_dispositioned_with_a_document(
    page: Page, live_server: LiveServer, console_errors: list[str], tmp_path: Path
) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from erp_export import write_erp_export

    workbook = write_erp_export(tmp_path / "supplier_master.xlsx")
    trace = tmp_path / "mill-cert.pdf"
    trace.write_bytes(b"%PDF-1.4 mill certificate, lot 77")
    sign_in(page, live_server, console_errors)

    page.get_by_label(re.compile("CSV, TSV or XLSX file")).set_input_files(workbook)
    page.get_by_label("Screen as of").fill("2026-03-01")
    page.get_by_text("Columns and sheet").click()
    page.get_by_label("Name column(s), separated by ;").fill(
        "Vendor Name (EN); 供应商名称 (Local Name)"
    )
    page.get_by_role("button", name="Screen", exact=True).click()
    expect(page.locator("#results")).to_be_visible(timeout=TIMEOUT_MS)  # the job may queue
    expect(page.get_by_test_id("read-as")).to_contain_text("sheet 'Vendors' (2 of 2), header row 4")
    expect(page.get_by_test_id("data-version")).to_contain_text("store generation")

    page.goto(page.url + "/rows/12")  # V10008: cotton fabric from China, no name match
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ningbo Example Cotton Weaving")
    page.get_by_text("Disposition this flag").click()
    page.get_by_label("Decision").select_option("cleared")
    page.get_by_label("Why").fill("Brazilian cotton; mill certificate on file")
    page.get_by_label("Traceability document (optional)").set_input_files(trace)
    page.get_by_label("What the document is").fill("mill certificate, lot 77")
    row_url = page.url
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Record").click()
    # htmx swaps the flag's block in place: same page, same window, the decision shown in it.
    flag = page.locator("#flag-1")
    expect(flag.get_by_role("status")).to_contain_text("HIGH_PRIORITY_SECTOR")
    expect(flag).to_contain_text(f"Dispositioned cleared by {live_server.user}")
    expect(flag).to_contain_text("mill-cert.pdf (SHA-256")
    assert page.url == row_url
    assert page.evaluate("window.notReloaded") is True

    page.get_by_role("link", name="Candidate links").click()
    expect(
        page.get_by_role("heading", name=re.compile("Candidate links to review"))
    ).to_be_visible()
