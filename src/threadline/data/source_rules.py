"""What a cited source is — official publication, legal commentary, news, a third party's
transcription … — read from its address by the rules in data/rules/sources.yaml.

The rules are checked when loaded (kinds and reliabilities known, patterns compile, named date
groups present), so a bad edit fails with one DataError line, not at screening time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml

from threadline.data import parse_yaml
from threadline.data.check import invalid
from threadline.model import Reliability, SourceKind

_FILE = "rules/sources.yaml"


@dataclass(frozen=True, slots=True)
class Classified:
    kind: SourceKind
    reliability: Reliability
    publisher: str
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: SourceKind
    hosts: Mapping[str, str]  # host → publisher
    title_phrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SourceRules:
    reliability: Mapping[SourceKind, Reliability]
    rules: tuple[_Rule, ...]
    url_dates: tuple[re.Pattern[str], ...]
    title_dates: tuple[re.Pattern[str], ...]

    def classify(self, url: str, title: str = "") -> Classified | None:
        """The first rule the address (or, for title rules, the title) matches; None if none."""
        parts = urlsplit(url.strip()) if url else None
        host = (parts.hostname or "") if parts else ""
        path = [p for p in parts.path.split("/") if p] if parts else []
        folded = title.casefold()
        for rule in self.rules:
            publisher = _host_publisher(rule.hosts, host, path) if host else None
            if (
                publisher is None
                and host
                and any(phrase in folded for phrase in rule.title_phrases)
            ):
                publisher = host.removeprefix("www.")
            if publisher is not None:
                return Classified(
                    kind=rule.kind,
                    reliability=self.reliability[rule.kind],
                    publisher=publisher,
                    date=self.source_date(url, title),
                )
        return None

    def source_date(self, url: str, title: str) -> dt.date | None:
        """The document's own date where its address or title states one."""
        for patterns, text in ((self.url_dates, url), (self.title_dates, title)):
            for pattern in patterns:
                for found in pattern.finditer(text):
                    try:
                        return dt.date(int(found["y"]), int(found["m"]), int(found["d"]))
                    except ValueError:
                        continue
        return None


def _host_publisher(hosts: Mapping[str, str], host: str, path: list[str]) -> str | None:
    labels = host.split(".")
    for start in range(len(labels) - 1):
        publisher = hosts.get(".".join(labels[start:]))
        if publisher is not None:
            owner, repo = [*path, "", ""][:2]
            return publisher.replace("{owner}", owner).replace("{repo}", repo)
    return None


@lru_cache(maxsize=1)
def load_source_rules() -> SourceRules:
    text = resources.files("threadline.data").joinpath(_FILE).read_text(encoding="utf-8")
    try:
        return _parse(parse_yaml(text))
    except (KeyError, TypeError, ValueError, AttributeError, re.error, yaml.YAMLError) as exc:
        raise invalid(_FILE, exc) from exc


def _parse(data: Mapping[str, Any]) -> SourceRules:
    reliability = {
        SourceKind(kind): Reliability[str(tier).upper()] for kind, tier in data["kinds"].items()
    }
    rules = []
    for entry in data["rules"]:
        kind = SourceKind(entry["kind"])
        if kind not in reliability:
            raise ValueError(f"rule kind '{kind}' has no reliability under `kinds`")
        hosts = {str(h).lower(): str(p) for h, p in (entry.get("hosts") or {}).items()}
        phrases = tuple(str(p).casefold() for p in entry.get("title_phrases") or ())
        if not hosts and not phrases:
            raise ValueError(f"a '{kind}' rule has neither hosts nor title_phrases")
        rules.append(_Rule(kind, hosts, phrases))
    dates = data["date_patterns"]
    url_dates, title_dates = (
        tuple(re.compile(str(p)) for p in dates.get(where) or ()) for where in ("url", "title")
    )
    for pattern in (*url_dates, *title_dates):
        if not {"y", "m", "d"} <= set(pattern.groupindex):
            raise ValueError(f"date pattern {pattern.pattern!r} lacks the groups y, m and d")
    return SourceRules(reliability, tuple(rules), url_dates, title_dates)
