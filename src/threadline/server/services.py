"""What the routes share: the store and its repositories, the screener, the job runner.

Built once per app by `create_app`; routes reach it through `get_services(request)`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property

from starlette.requests import HTTPConnection

from threadline.data.lists import data_version
from threadline.pipeline import Screener, build_screener, ensure_reference_data
from threadline.server.settings import ServerSettings
from threadline.store import Store
from threadline.store.accounts import Accounts
from threadline.store.certifications import Certifications
from threadline.store.dispositions import Dispositions
from threadline.store.screenings import Screenings


@dataclass
class Services:
    settings: ServerSettings
    store: Store
    accounts: Accounts
    screenings: Screenings
    _screener: Screener | None = field(default=None, init=False, repr=False)
    _generation: int = field(default=-1, init=False, repr=False)
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
            return self._screener

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

    def screener_for_job(self) -> Screener:
        """The shared index with the review decisions as they stand now, for one screening."""
        return self.screener().for_run(
            decisions=self.store.decisions(),
            findings=self.store.document_findings(),  # reviewers' verdicts on findings too
            dispositions=Dispositions(self.store).latest(),
            certifications=Certifications(self.store).by_supplier(),
        )


def get_services(connection: HTTPConnection) -> Services:
    services: Services = connection.app.state.services
    return services
