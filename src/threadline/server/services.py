"""What the routes share: the store and its repositories, the screener, the job runner.

Built once per app by `create_app`; routes reach it through `get_services(request)`.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field

from starlette.requests import HTTPConnection

from threadline.pipeline import Screener, build_screener, ensure_reference_data
from threadline.server.settings import ServerSettings
from threadline.store import Store
from threadline.store.accounts import Accounts
from threadline.store.screenings import Screenings


@dataclass
class Services:
    settings: ServerSettings
    store: Store
    accounts: Accounts
    screenings: Screenings
    _screener: Screener | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @classmethod
    def open(cls, settings: ServerSettings) -> Services:
        store = Store.open(settings.db_url)
        return cls(settings, store, Accounts(store), Screenings(store))

    def screener(self) -> Screener:
        """The reference index, built on first use (a second or two) and then shared."""
        with self._lock:
            if self._screener is None:
                if self.settings.sync_reference_data:
                    ensure_reference_data(self.store)
                self._screener = build_screener(self.store)
            return self._screener

    def screener_for_job(self) -> Screener:
        """The shared index with the review decisions as they stand now, for one screening."""
        job = copy.copy(self.screener())
        job.decisions = self.store.decisions()
        job.findings = self.store.document_findings()  # reviewers' verdicts on findings too
        return job


def get_services(connection: HTTPConnection) -> Services:
    services: Services = connection.app.state.services
    return services
