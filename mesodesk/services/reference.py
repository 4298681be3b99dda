"""Core services: the BDPM reference — import in one transaction, search, add to catalogue."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from db.models import ProductRow, RefDrugRow, RefPresentationRow, RefSubstanceRow
from db.queries import reference as reference_queries
from mesodesk import bdpm, normalize
from mesodesk.bdpm import FileReport
from mesodesk.domain import Changed, ProductClass, ProductDraft, ProductRecord, Substance
from mesodesk.services import audit
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError
from mesodesk.services.products import ProductService

Progress = Callable[[str, int, int], None]
CHUNK = 500


class ImportFolderError(ValueError):
    """The folder does not hold a BDPM export; nothing was changed."""


class MassWithdrawalError(ImportFolderError):
    """The import would mark a large share of the reference withdrawn; nothing was changed."""

    def __init__(self, message: str, leaving: int = 0, current: int = 0) -> None:
        super().__init__(message)
        self.leaving = leaving
        self.current = current


# An import that would withdraw more than this share of the reference is refused unless the
# practitioner confirms: an empty, truncated or mis-encoded file looks exactly like that.
WITHDRAWAL_SHARE = 0.10


@dataclass(frozen=True, slots=True)
class ReferenceSubstance:
    name: str
    dosage: str
    reference: str
    nature: str


@dataclass(frozen=True, slots=True)
class ReferenceDrug:
    cis: str
    name: str
    form: str
    routes: tuple[str, ...]
    substances: tuple[ReferenceSubstance, ...]
    injectable: bool
    corticoid: bool
    marketed: bool
    withdrawn: bool
    amm_status: str
    presentations: tuple[tuple[str, str], ...] = ()  # (CIP13, label)

    @property
    def active_names(self) -> list[str]:
        return [s.name for s in self.substances if s.nature == "SA"]


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    imported: int = 0
    updated: int = 0
    withdrawn: int = 0
    substances: int = 0
    presentations: int = 0
    orphans: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def malformed(self) -> int:
        return sum(f.malformed for f in self.files)

    def lines(self) -> list[str]:
        summary = [
            f"{self.imported} médicament(s) ajouté(s), {self.updated} mis à jour, "
            f"{self.withdrawn} marqué(s) retiré(s) ; {self.substances} lignes de "
            f"composition, {self.presentations} présentations ; {self.malformed} "
            f"ligne(s) irrégulière(s) ; {self.seconds:.1f} s."
        ]
        for report in self.files:
            summary.append(
                f"  {report.name} : {report.lines} lignes ({report.encoding}), "
                f"{report.malformed} irrégulière(s)"
            )
            summary += [f"    {example}" for example in report.examples]
        summary += [
            f"  {name} : {count} ligne(s) dont le code CIS est absent de CIS_bdpm.txt (ignorées)"
            for name, count in self.orphans.items()
            if count
        ]
        return summary


def _read(folder: Path, name: str, report: ImportReport) -> tuple[str, FileReport] | None:
    path = folder / name
    if not path.is_file():
        return None
    try:
        text, encoding = bdpm.decode(path.read_bytes())
    except bdpm.UndecodableError as exc:
        raise ImportFolderError(
            f"Le fichier {name} est illisible ({exc}) : rien n'a été importé. Téléchargez "
            "à nouveau les fichiers de la BDPM."
        ) from exc
    except OSError as exc:
        raise ImportFolderError(
            f"Le fichier {name} ne peut pas être lu ({exc.strerror}) : rien n'a été importé."
        ) from exc
    file_report = FileReport(name, encoding)
    report.files.append(file_report)
    return text, file_report


def _required(folder: Path, name: str, report: ImportReport) -> tuple[str, FileReport]:
    found = _read(folder, name, report)
    if found is None:
        raise ImportFolderError(f"Fichier {name} absent de {folder}.")
    return found


def _search_key(drug: bdpm.DrugLine, substances: list[bdpm.SubstanceLine]) -> str:
    return " ".join([normalize.fold(drug.name), *(normalize.fold(s.name) for s in substances)])


class ReferenceService:
    def __init__(
        self,
        database: Any,
        changes: ChangeHub,
        now: Callable[[], datetime],
        products: ProductService,
    ) -> None:
        self._db = database
        self._changes = changes
        self._now = now
        self._products = products

    def count(self) -> int:
        return int(RefDrugRow.select().count())

    def import_folder(
        self, folder: Path, progress: Progress | None = None, accept_withdrawals: bool = False
    ) -> ImportReport:
        """Import or update from a downloaded BDPM folder; all or nothing.

        Refused, changing nothing, when it would withdraw more than a tenth of the reference,
        unless accept_withdrawals.
        """
        try:
            missing = [n for n in bdpm.REQUIRED if not (folder / n).is_file()]
        except OSError as exc:
            raise ImportFolderError(f"Dossier illisible : {folder} ({exc.strerror}).") from exc
        if missing:
            raise ImportFolderError(
                f"Le dossier {folder} ne contient pas les fichiers de la "
                f"BDPM attendus (manquent : {', '.join(missing)})."
            )
        started = time.perf_counter()
        report = ImportReport()
        step = progress or (lambda stage, done, total: None)
        step("Lecture des fichiers", 0, 1)
        parsed = self._parse(folder, report)
        if not accept_withdrawals:
            self._refuse_mass_withdrawal({d.cis for d in parsed[0]})
        with self._db.atomic():
            self._store(*parsed, report, step)
            audit.record(
                "reference.import",
                "reference",
                None,
                None,
                {
                    "folder": str(folder),
                    "imported": report.imported,
                    "updated": report.updated,
                    "withdrawn": report.withdrawn,
                },
            )
        report.seconds = time.perf_counter() - started
        self._changes.publish(Changed(products=True))
        return report

    def _refuse_mass_withdrawal(self, known: set[str]) -> None:
        cis_rows: Any = RefDrugRow.select(RefDrugRow.cis).where(~RefDrugRow.withdrawn).tuples()
        current = {cis for (cis,) in cis_rows}
        leaving = len(current - known)
        if current and leaving > len(current) * WITHDRAWAL_SHARE:
            raise MassWithdrawalError(
                f"Cet import marquerait {leaving} des {len(current)} médicaments de la "
                f"référence comme retirés ({100 * leaving // len(current)} %) : fichiers "
                "vides, tronqués ou mal encodés ? Rien n'a été modifié. Si ces retraits sont "
                "voulus, confirmez-les (en ligne de commande : --accept-withdrawals).",
                leaving,
                len(current),
            )

    def _parse(
        self, folder: Path, report: ImportReport
    ) -> tuple[
        list[bdpm.DrugLine],
        list[bdpm.SubstanceLine],
        list[bdpm.PresentationLine],
        dict[str, list[str]],
    ]:
        drugs = bdpm.parse_drugs(*_required(folder, "CIS_bdpm.txt", report))
        substances = bdpm.parse_substances(*_required(folder, "CIS_COMPO_bdpm.txt", report))
        presentations = bdpm.parse_presentations(*_required(folder, "CIS_CIP_bdpm.txt", report))
        conditions: dict[str, list[str]] = {}
        for name in bdpm.OPTIONAL:
            found = _read(folder, name, report)
            if found is None:
                continue
            if name == "CIS_CPD_bdpm.txt":
                conditions = bdpm.parse_conditions(*found)
            else:
                bdpm.count_only(name, *found)
        known = {d.cis for d in drugs}
        report.orphans = {
            "CIS_COMPO_bdpm.txt": sum(1 for s in substances if s.cis not in known),
            "CIS_CIP_bdpm.txt": sum(1 for p in presentations if p.cis not in known),
            "CIS_CPD_bdpm.txt": sum(len(v) for k, v in conditions.items() if k not in known),
        }
        return drugs, substances, presentations, conditions

    def _store(
        self,
        drugs: list[bdpm.DrugLine],
        substances: list[bdpm.SubstanceLine],
        presentations: list[bdpm.PresentationLine],
        conditions: dict[str, list[str]],
        report: ImportReport,
        step: Progress,
    ) -> None:
        now = self._now()
        known = {d.cis for d in drugs}
        by_cis: dict[str, list[bdpm.SubstanceLine]] = {}
        for s in substances:
            if s.cis in known:
                by_cis.setdefault(s.cis, []).append(s)
        cis_rows: Any = RefDrugRow.select(RefDrugRow.cis).tuples()
        existing: set[str] = {cis for (cis,) in cis_rows}
        report.imported = len(known - existing)
        report.updated = len(known & existing)
        rows = [
            {
                "cis": d.cis,
                "name": d.name,
                "form": d.form,
                "routes": ";".join(d.routes),
                "amm_status": d.amm_status,
                "marketed": d.marketed,
                "injectable": d.injectable,
                "corticoid": any(bdpm.is_corticoid(s.name) for s in by_cis.get(d.cis, [])),
                "withdrawn": False,
                "holder": d.holder,
                "conditions": "\n".join(conditions.get(d.cis, [])),
                "search_key": _search_key(d, by_cis.get(d.cis, [])),
                "imported_at": now,
            }
            for d in drugs
        ]
        cis_list = sorted(known)
        for start in range(0, len(cis_list), CHUNK):
            chunk = cis_list[start : start + CHUNK]
            RefSubstanceRow.delete().where(RefSubstanceRow.drug.in_(chunk)).execute()
            RefPresentationRow.delete().where(RefPresentationRow.drug.in_(chunk)).execute()
        for start in range(0, len(rows), CHUNK):
            reference_queries.upsert_drugs(rows[start : start + CHUNK])
            step("Médicaments", min(start + CHUNK, len(rows)), len(rows))
        withdrawn = existing - known
        report.withdrawn = len(withdrawn)
        for start in range(0, len(sorted(withdrawn)), CHUNK):
            RefDrugRow.update(withdrawn=True).where(
                RefDrugRow.cis.in_(sorted(withdrawn)[start : start + CHUNK])
            ).execute()
        self._store_lines(by_cis, presentations, known, report, step)

    def _store_lines(
        self,
        by_cis: dict[str, list[bdpm.SubstanceLine]],
        presentations: list[bdpm.PresentationLine],
        known: set[str],
        report: ImportReport,
        step: Progress,
    ) -> None:
        sub_rows = [
            {
                "drug": cis,
                "position": i,
                "code": s.code,
                "name": s.name,
                "name_key": normalize.substance_key(s.name),
                "dosage": s.dosage,
                "reference": s.reference,
                "nature": s.nature,
                "link": s.link,
            }
            for cis, lines in by_cis.items()
            for i, s in enumerate(lines)
        ]
        for start in range(0, len(sub_rows), CHUNK):
            RefSubstanceRow.insert_many(sub_rows[start : start + CHUNK]).execute()
            step("Compositions", min(start + CHUNK, len(sub_rows)), len(sub_rows))
        report.substances = len(sub_rows)
        pres_rows = [
            {
                "cip13": p.cip13,
                "drug": p.cis,
                "cip7": p.cip7,
                "label": p.label,
                "status": p.status,
                "marketing": p.marketing,
                "price_cents": p.price_cents,
                "rate": p.rate,
            }
            for p in presentations
            if p.cis in known
        ]
        for start in range(0, len(pres_rows), CHUNK):
            reference_queries.upsert_presentations(pres_rows[start : start + CHUNK])
            step("Présentations", min(start + CHUNK, len(pres_rows)), len(pres_rows))
        report.presentations = len(pres_rows)

    # --- use -----------------------------------------------------------------------------

    def search(
        self, text: str, injectable_only: bool = False, limit: int = 100
    ) -> list[ReferenceDrug]:
        """By brand or active ingredient, accents ignored; injectable and marketed first."""
        query = RefDrugRow.select()
        for term in normalize.fold(text).split():
            query = query.where(RefDrugRow.search_key.contains(term))
        if injectable_only:
            query = query.where(RefDrugRow.injectable == True)  # noqa: E712 (SQL expression)
        query = query.order_by(
            RefDrugRow.injectable.desc(),
            RefDrugRow.withdrawn,
            RefDrugRow.marketed.desc(),
            RefDrugRow.name,
        ).limit(limit)
        return self._drugs(list(query))

    def get(self, cis: str) -> ReferenceDrug:
        found = self._drugs(list(RefDrugRow.select().where(RefDrugRow.cis == cis)))
        if not found:
            raise NotFoundError(f"Médicament CIS {cis} absent de la base de référence.")
        return found[0]

    def _drugs(self, rows: list[RefDrugRow]) -> list[ReferenceDrug]:
        if not rows:
            return []
        ids = [r.cis for r in rows]
        subs: dict[str, list[ReferenceSubstance]] = {i: [] for i in ids}
        for s in (
            RefSubstanceRow.select()
            .where(RefSubstanceRow.drug.in_(ids))
            .order_by(RefSubstanceRow.position)
        ):
            subs[s.cis].append(ReferenceSubstance(s.name, s.dosage, s.reference, s.nature))
        pres: dict[str, list[tuple[str, str]]] = {i: [] for i in ids}
        for p in (
            RefPresentationRow.select()
            .where(RefPresentationRow.drug.in_(ids))
            .order_by(RefPresentationRow.cip13)
        ):
            pres[p.cis].append((p.cip13, p.label))
        return [
            ReferenceDrug(
                r.cis,
                r.name,
                r.form,
                tuple(x for x in r.routes.split(";") if x),
                tuple(subs[r.cis]),
                bool(r.injectable),
                bool(r.corticoid),
                bool(r.marketed),
                bool(r.withdrawn),
                r.amm_status,
                tuple(pres[r.cis]),
            )
            for r in rows
        ]

    def add_to_catalogue(self, cis: str) -> ProductRecord:
        """The reference product in the practitioner's catalogue, keeping CIS, DCI, strength."""
        drug = self.get(cis)
        already = ProductRow.get_or_none(ProductRow.cis == cis)
        if already is not None:
            return self._products.get(already.id)
        actives = [s for s in drug.substances if s.nature == "SA"] or list(drug.substances)
        corticoid = drug.corticoid
        product_class = (
            ProductClass.CORTICOIDE
            if corticoid
            else ProductClass.ANESTHESIQUE
            if any(bdpm.is_anaesthetic(s.name) for s in actives)
            else ProductClass.AUTRE
        )
        name, _, _ = drug.name.partition(",")
        draft = ProductDraft(
            name=name.strip()[:100] or drug.name[:100],
            substances=tuple(
                Substance(s.name.lower(), " / ".join(x for x in (s.dosage, s.reference) if x))
                for s in actives
            ),
            form=drug.form,
            presentation=drug.presentations[0][1][:200] if drug.presentations else "",
            product_class=product_class,
            cis=drug.cis,
            cip13=drug.presentations[0][0] if drug.presentations else "",
            corticoid=corticoid,
        )
        return self._products.add(draft)
