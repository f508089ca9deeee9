"""Fetching the official files (`threadline data update --download`), with timeouts and one
clear line when a site refuses: DHS often answers scripts with 403."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urljoin

import httpx2 as httpx
from selectolax.lexbor import LexborHTMLParser

from threadline.data.official import official_lists
from threadline.errors import InputError
from threadline.inputs.official.base import FileInput
from threadline.inputs.official.cbp_wro import SOURCE as CBP
from threadline.inputs.official.dhs_uflpa import SOURCE as DHS

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
# The CBP dataset's address changes with each release: it is the link on this page whose text
# names the dataset ("Withhold" — sometimes spelt "Withold" — and "Dataset").
CBP_PAGE = "https://www.cbp.gov/document/stats/withhold-release-orders-findings"
_HEADERS = {"User-Agent": "threadline (forced-labour list refresh)"}


def download_sources() -> tuple[str, ...]:
    """The formats --download fetches when no --source is named (licensed data only on request)."""
    catalogue = official_lists()
    named = [s for s in catalogue.downloads if s not in catalogue.licence_notices]
    return (*named, CBP)


def download(source: str, client: httpx.Client, today: dt.date) -> FileInput:
    if source == CBP:
        url = _cbp_dataset_url(client)
    else:
        url = official_lists().downloads.get(source, "")
        if not url:
            raise InputError(f"--download: no official address is known for '{source}'")
    response = _get(client, url, source)
    name = url.rstrip("/").rsplit("/", 1)[-1] or source
    if source == DHS and not name.endswith(".html"):
        name += ".html"
    return FileInput(response.content, name, today)


def make_client() -> httpx.Client:
    return httpx.Client(timeout=TIMEOUT, headers=_HEADERS, follow_redirects=True)


def _get(client: httpx.Client, url: str, source: str) -> httpx.Response:
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        raise InputError(f"--download {source}: {url} could not be fetched ({exc})") from exc
    if response.status_code == 403 and source == DHS:
        raise InputError(
            f"--download {source}: {url} refused the download (HTTP 403); save the page from a "
            "browser and pass --from"
        )
    if response.status_code != 200:
        raise InputError(
            f"--download {source}: {url} answered HTTP {response.status_code}; download the "
            "file yourself and pass --from"
        )
    return response


def _cbp_dataset_url(client: httpx.Client) -> str:
    page = _get(client, CBP_PAGE, CBP)
    tree = LexborHTMLParser(page.text)
    for link in tree.css("a[href]"):
        text = link.text(deep=True).lower()
        if ("withhold" in text or "withold" in text) and "dataset" in text:
            return urljoin(CBP_PAGE, link.attributes.get("href") or "")
    raise InputError(
        f"--download {CBP}: no dataset link on {CBP_PAGE}; download the CSV yourself and pass --from"
    )
