"""Certification claims recorded for suppliers (the web form): kept append-only and shown beside
the supplier's results from then on. A claim never clears anything: audits such as WRAP or
amfori BSCI are not designed to detect state-imposed forced labour."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select

from threadline.errors import InputError
from threadline.model import CertificationClaim
from threadline.model.ids import supplier_key
from threadline.store.repository import Store
from threadline.store.tables import certification_claims

_MAX_TEXT = 500


class Certifications:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def record(
        self,
        *,
        supplier: str,
        scheme: str,
        user: str,
        certificate_id: str = "",
        valid_from: dt.date | None = None,
        valid_to: dt.date | None = None,
        scope: str = "",
    ) -> CertificationClaim:
        if not supplier.strip() or not scheme.strip():
            raise InputError("a certification claim needs the supplier and the scheme")
        if any(len(v) > _MAX_TEXT for v in (scheme, certificate_id, scope)):
            raise InputError(f"certification fields are limited to {_MAX_TEXT} characters")
        if valid_from and valid_to and valid_to < valid_from:
            raise InputError("the certificate's end date is before its start date")
        with self.engine.begin() as connection:
            connection.execute(
                insert(certification_claims).values(
                    supplier_key=supplier_key(supplier),
                    supplier=supplier,
                    scheme=scheme.strip(),
                    certificate_id=certificate_id.strip(),
                    valid_from=valid_from,
                    valid_to=valid_to,
                    scope=scope.strip(),
                    user_name=user,
                    recorded_at=dt.datetime.now(dt.UTC),
                )
            )
        return _claim(scheme.strip(), certificate_id, valid_from, valid_to, scope, user)

    def by_supplier(self) -> dict[str, tuple[CertificationClaim, ...]]:
        """Every recorded claim, by supplier key, oldest first."""
        out: dict[str, list[CertificationClaim]] = {}
        with self.engine.connect() as connection:
            for r in connection.execute(
                select(certification_claims).order_by(certification_claims.c.id)
            ).mappings():
                # Keyed afresh: a key stored under an earlier name rule still finds its supplier.
                out.setdefault(supplier_key(r["supplier"]), []).append(
                    _claim(
                        r["scheme"],
                        r["certificate_id"],
                        r["valid_from"],
                        r["valid_to"],
                        r["scope"],
                        r["user_name"],
                    )
                )
        return {key: tuple(claims) for key, claims in out.items()}


def _claim(
    scheme: str,
    certificate_id: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    scope: str,
    user: str,
) -> CertificationClaim:
    parts = [scheme]
    if certificate_id.strip():
        parts.append(f"certificate {certificate_id.strip()}")
    if valid_from or valid_to:
        start = valid_from.isoformat() if valid_from else "?"
        end = valid_to.isoformat() if valid_to else "?"
        parts.append(f"valid {start} to {end}")
    if scope.strip():
        parts.append(f"scope: {scope.strip()}")
    return CertificationClaim(scheme, ", ".join(parts) + f" (recorded by {user})")
