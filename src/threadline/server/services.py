"""What the routes share: the store and its repositories, the screener, the job runner.

Built once per app by `create_app`; routes reach it through `get_services(request)`.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from threadline.data.lists import data_version
from threadline.pipeline import Screener, ScreeningRun, build_screener, ensure_reference_data
from threadline.server.settings import ServerSettings
from threadline.store import Store
from threadline.store.accounts import Accounts
from threadline.store.certifications import Certifications
from threadline.store.dispositions import Dispositions
from threadline.store.screenings import Screenings

# How stale the event loop's view of the index may be: an import is seen by /match this soon.
_RECHECK_S = 1.0


@dataclass
class Services:
    settings: ServerSettings
    store: Store
    accounts: Accounts
    screenings: Screenings
    _screener: Screener | None = field(default=None, init=False, repr=False)
    _generation: int = field(default=-1, init=False, repr=False)
    _checked_at: float = field(default=float("-inf"), init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @classmethod
    def open(cls, settings: ServerSettings) -> Services:
        store = Store.open(settings.db_url)
        return cls(settings, store, Accounts(store), Screenings(store))

    def screener(self) -> Screener:
        """The reference index, built on first use (a second or two) and shared until the
        store's generation moves: lists, relations or bills imported while the server runs
        are picked up by the next request, without a restart."""
        with self._lock:
            if self._screener is None and self.settings.sync_reference_data:
                ensure_reference_data(self.store)
            generation = self.store.generation()
            if self._screener is None or generation != self._generation:
                self._screener = build_screener(self.store)
                self._generation = generation
            self._checked_at = time.monotonic()
            return self._screener

    async def screener_async(self) -> Screener:
        """`screener()` for the event loop, which it never blocks: the store's generation is
        checked at most once every `_RECHECK_S`, and the check (or a rebuild, seconds) runs on a
        worker thread. A query to the database on the loop for every /match request, and once
        a whole rebuild, held up every other request, /health included."""
        screener = self._screener
        if screener is not None and time.monotonic() - self._checked_at < _RECHECK_S:
            return screener
        return await run_in_threadpool(self.screener)

    @cached_property
    def data_version(self) -> str:
        """The bundled data's version (a content hash of the packaged files, read once)."""
        return data_version()

    def data_label(self) -> str:
        """What every page says about the data it shows: bundled version, store generation."""
        return f"data {self.data_version}, store generation {self.store.generation()}"

    @property
    def generation(self) -> int:
        """The store generation the shared index was built at (-1 before the first build)."""
        return self._generation

    def screening_run(self, as_of: dt.date) -> ScreeningRun:
        """One screening over the shared index, with the review decisions as they stand now."""
        return self.screener().run(
            as_of=as_of,
            decisions=self.store.decisions(),
            findings=self.store.document_findings(),  # reviewers' verdicts on findings too
            dispositions=Dispositions(self.store).latest(),
            certifications=Certifications(self.store).by_supplier(),
        )


def get_services(connection: HTTPConnection) -> Services:
    services: Services = connection.app.state.services
    return services
