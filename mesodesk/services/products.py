"""Core services: the practitioner's product catalogue."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from db.models import ProductRow, ProductSubstanceRow, SessionProductRow
from db.queries.prepared import sent_together
from mesodesk import normalize
from mesodesk.domain import Changed, ProductClass, ProductDraft, ProductRecord, Substance
from mesodesk.services import audit, conflicts
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError
from mesodesk.starter_products import STARTER_PRODUCTS
from mesodesk.validation import Problems, check_name, check_text


def validate_product(draft: ProductDraft) -> ProductDraft:
    problems = Problems()
    problems.check("name", check_name(draft.name, "Nom du produit"))
    if not draft.substances:
        problems.add("substances", "Principe actif (DCI) : au moins un est obligatoire.")
    for substance in draft.substances:
        problems.check("substances", check_name(substance.dci, "Principe actif (DCI)"))
        problems.check("substances", check_text(substance.strength, "Dosage", 100))
    for field, label in (("form", "Forme"), ("presentation", "Présentation")):
        problems.check(field, check_text(getattr(draft, field), label, 200))
    if draft.cis and not (draft.cis.isdigit() and len(draft.cis) == 8):
        problems.add("cis", "Code CIS : 8 chiffres.")
    if draft.cip13 and not (draft.cip13.isdigit() and len(draft.cip13) == 13):
        problems.add("cip13", "Code CIP13 : 13 chiffres.")
    problems.raise_if_any()
    corticoid = draft.corticoid or draft.product_class is ProductClass.CORTICOIDE
    return ProductDraft(
        name=draft.name.strip(),
        substances=tuple(Substance(s.dci.strip(), s.strength.strip()) for s in draft.substances),
        form=draft.form.strip(),
        presentation=draft.presentation.strip(),
        product_class=draft.product_class,
        cis=draft.cis,
        cip13=draft.cip13,
        corticoid=corticoid,
        do_not_mix=draft.do_not_mix.strip(),
        notes=draft.notes,
    )


def _search_key(draft: ProductDraft) -> str:
    return " ".join(
        [normalize.fold(draft.name), *(normalize.fold(s.dci) for s in draft.substances)]
    )


def _row_values(draft: ProductDraft) -> dict[str, Any]:
    return {
        "name": draft.name,
        "form": draft.form,
        "presentation": draft.presentation,
        "product_class": draft.product_class.value,
        "cis": draft.cis,
        "cip13": draft.cip13,
        "corticoid": draft.corticoid,
        "do_not_mix": draft.do_not_mix,
        "notes": draft.notes,
        "search_key": _search_key(draft),
    }


def _to_record(row: ProductRow, substances: Iterable[ProductSubstanceRow]) -> ProductRecord:
    draft = ProductDraft(
        name=row.name,
        substances=tuple(Substance(s.dci, s.strength) for s in substances),
        form=row.form,
        presentation=row.presentation,
        product_class=ProductClass(row.product_class),
        cis=row.cis,
        cip13=row.cip13,
        corticoid=bool(row.corticoid),
        do_not_mix=row.do_not_mix,
        notes=row.notes,
    )
    return ProductRecord(row.id, draft, bool(row.active))


class ProductService:
    def __init__(self, database: Any, changes: ChangeHub, now: Callable[[], datetime]) -> None:
        self._db = database
        self._changes = changes
        self._now = now

    def get(self, product_id: int) -> ProductRecord:
        found = self.get_many([product_id])
        if product_id not in found:
            raise NotFoundError(f"Produit n° {product_id} introuvable.")
        return found[product_id]

    def get_many(self, ids: Iterable[int]) -> dict[int, ProductRecord]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        # Both queries by the ids asked (not the second by the first's rows): one round trip
        # on a server. A substance belongs to an existing product (foreign key).
        with sent_together(ProductRow):
            products = ProductRow.select().where(ProductRow.id.in_(wanted)).execute()
            substances = (
                ProductSubstanceRow.select()
                .where(ProductSubstanceRow.product.in_(wanted))
                .order_by(ProductSubstanceRow.position)
                .execute()
            )
        rows = list(products)
        by_product: dict[int, list[ProductSubstanceRow]] = {r.id: [] for r in rows}
        for sub in substances:
            by_product[sub.product_id].append(sub)
        return {r.id: _to_record(r, by_product[r.id]) for r in rows}

    def _records(self, rows: list[ProductRow]) -> dict[int, ProductRecord]:
        by_product: dict[int, list[ProductSubstanceRow]] = {r.id: [] for r in rows}
        substances = (
            ProductSubstanceRow.select()
            .where(ProductSubstanceRow.product.in_(list(by_product)))
            .order_by(ProductSubstanceRow.position)
        )
        for sub in substances:
            by_product[sub.product_id].append(sub)
        return {r.id: _to_record(r, by_product[r.id]) for r in rows}

    def search(self, text: str = "", *, include_inactive: bool = False) -> list[ProductRecord]:
        """Catalogue products whose name or DCI contains every typed word, accents ignored."""
        query = ProductRow.select()
        for term in normalize.fold(text).split():
            query = query.where(ProductRow.search_key.contains(term))
        if not include_inactive:
            query = query.where(ProductRow.active == True)  # noqa: E712 (SQL expression)
        rows = list(query.order_by(ProductRow.name))
        records = self._records(rows)
        return [records[r.id] for r in rows]

    def dci_names(self) -> list[str]:
        """Distinct active ingredients of the catalogue, for the allergy pick-list."""
        seen: dict[str, str] = {}
        for sub in ProductSubstanceRow.select(ProductSubstanceRow.dci, ProductSubstanceRow.dci_key):
            seen.setdefault(sub.dci_key, sub.dci)
        return sorted(seen.values(), key=normalize.fold)

    def add(self, draft: ProductDraft) -> ProductRecord:
        clean = validate_product(draft)
        now = self._now()
        with self._db.atomic():
            row = ProductRow.create(**_row_values(clean), created_at=now, updated_at=now)
            self._write_substances(row.id, clean)
            record = self.get(row.id)
            audit.record("product.add", "product", row.id, None, record)
        self._changes.publish(Changed(products=True))
        return record

    def update(
        self, product_id: int, draft: ProductDraft, expected: ProductRecord | None = None
    ) -> ProductRecord:
        """Save the product; expected is the record the form loaded (ConflictError if moved)."""
        clean = validate_product(draft)
        now = self._now()
        with self._db.atomic():
            before = conflicts.claim_record(
                self._db,
                ProductRow,
                product_id,
                lambda: self.get(product_id),
                expected,
                conflicts.PRODUCT,
                now,
            )
            ProductRow.update(**_row_values(clean), updated_at=now).where(
                ProductRow.id == product_id
            ).execute()
            self._write_substances(product_id, clean)
            record = self.get(product_id)
            audit.record("product.update", "product", product_id, before, record)
        self._changes.publish(Changed(products=True))
        return record

    def set_active(self, product_id: int, active: bool) -> ProductRecord:
        """Deactivate rather than delete: past sessions keep pointing at the product."""
        with self._db.atomic():
            before = self.get(product_id)
            ProductRow.update(active=active, updated_at=self._now()).where(
                ProductRow.id == product_id
            ).execute()
            record = self.get(product_id)
            action = "product.activate" if active else "product.deactivate"
            audit.record(action, "product", product_id, before, record)
        self._changes.publish(Changed(products=True))
        return record

    def is_used(self, product_id: int) -> bool:
        return SessionProductRow.select().where(SessionProductRow.product == product_id).exists()

    def seed_starter(self) -> int:
        """Fill an empty catalogue with the usual mesotherapy products; return how many."""
        if ProductRow.select().exists():
            return 0
        for draft in STARTER_PRODUCTS:
            self.add(draft)
        return len(STARTER_PRODUCTS)

    def _write_substances(self, product_id: int, draft: ProductDraft) -> None:
        ProductSubstanceRow.delete().where(ProductSubstanceRow.product == product_id).execute()
        for position, substance in enumerate(draft.substances):
            ProductSubstanceRow.create(
                product=product_id,
                position=position,
                dci=substance.dci,
                dci_key=normalize.substance_key(substance.dci),
                strength=substance.strength,
            )
