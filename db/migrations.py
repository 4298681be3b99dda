"""Database: numbered schema steps; a released step is frozen text and is never edited."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Schema 1, the first released schema (frozen copy of the DDL; never import today's models here).
_SCHEMA_1: tuple[str, ...] = (
    'CREATE TABLE "audit_event" ("id" INTEGER NOT NULL PRIMARY KEY, "at_utc" VARCHAR(255) NOT NULL, "action" VARCHAR(255) NOT NULL, "entity" VARCHAR(255) NOT NULL, "entity_id" INTEGER, "before_json" TEXT, "after_json" TEXT, "prev_hash" VARCHAR(255) NOT NULL, "hash" VARCHAR(255) NOT NULL)',
    'CREATE TABLE "patient" ("id" INTEGER NOT NULL PRIMARY KEY, "last_name" VARCHAR(255) NOT NULL, "birth_name" VARCHAR(255) NOT NULL, "first_name" VARCHAR(255) NOT NULL, "sex" VARCHAR(255) NOT NULL, "birth_date" DATE NOT NULL, "address" TEXT NOT NULL, "postcode" VARCHAR(255) NOT NULL, "city" VARCHAR(255) NOT NULL, "phone" VARCHAR(255) NOT NULL, "email" VARCHAR(255) NOT NULL, "regular_doctor" VARCHAR(255) NOT NULL, "history" TEXT NOT NULL, "allergy_notes" TEXT NOT NULL, "treatments" TEXT NOT NULL, "anticoagulant" INTEGER NOT NULL, "pregnancy" VARCHAR(255) NOT NULL, "pregnancy_date" DATE, "consent_date" DATE, "offlabel_justification" TEXT NOT NULL, "notes" TEXT NOT NULL, "archived" INTEGER NOT NULL, "archived_at" DATETIME, "sort_key" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL)',
    'CREATE INDEX "patient_sort_key" ON "patient" ("sort_key")',
    'CREATE TABLE "patient_allergy" ("id" INTEGER NOT NULL PRIMARY KEY, "patient_id" INTEGER NOT NULL, "substance" VARCHAR(255) NOT NULL, "substance_key" VARCHAR(255) NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "patient_allergy_patient_id" ON "patient_allergy" ("patient_id")',
    'CREATE UNIQUE INDEX "patient_allergy_patient_id_substance_key" ON "patient_allergy" ("patient_id", "substance_key")',
    'CREATE TABLE "patient_token" ("id" INTEGER NOT NULL PRIMARY KEY, "patient_id" INTEGER NOT NULL, "token" VARCHAR(255) NOT NULL, "infix" INTEGER NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "patient_token_patient_id" ON "patient_token" ("patient_id")',
    'CREATE UNIQUE INDEX "patient_token_token_infix_patient_id" ON "patient_token" ("token", "infix", "patient_id")',
    'CREATE TABLE "practitioner" ("id" INTEGER NOT NULL PRIMARY KEY, "title" VARCHAR(255) NOT NULL, "last_name" VARCHAR(255) NOT NULL, "first_name" VARCHAR(255) NOT NULL, "qualifications" TEXT NOT NULL, "rpps" VARCHAR(255) NOT NULL, "address" TEXT NOT NULL, "postcode" VARCHAR(255) NOT NULL, "city" VARCHAR(255) NOT NULL, "country" VARCHAR(255) NOT NULL, "phone" VARCHAR(255) NOT NULL, "email" VARCHAR(255) NOT NULL, "signature_png" BLOB, "in_use" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL)',
    'CREATE TABLE "session" ("id" INTEGER NOT NULL PRIMARY KEY, "patient_id" INTEGER NOT NULL, "performed_at" DATETIME NOT NULL, "indication" VARCHAR(255) NOT NULL, "zones_json" TEXT NOT NULL, "series_rank" INTEGER, "series_total" INTEGER, "eva_before" INTEGER, "eva_after" INTEGER, "adverse_events_json" TEXT NOT NULL, "adverse_notes" TEXT NOT NULL, "observation_done" INTEGER NOT NULL, "notes" TEXT NOT NULL, "fee_cents" INTEGER, "payment_mode" VARCHAR(255), "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "session_patient_id" ON "session" ("patient_id")',
    'CREATE INDEX "session_performed_at" ON "session" ("performed_at")',
    'CREATE INDEX "session_patient_id_performed_at" ON "session" ("patient_id", "performed_at")',
    'CREATE TABLE "prescription" ("id" INTEGER NOT NULL PRIMARY KEY, "patient_id" INTEGER NOT NULL, "session_id" INTEGER, "prescribed_on" DATE NOT NULL, "issued_at" DATETIME, "print_count" INTEGER NOT NULL, "snapshot_json" TEXT, "snapshot_sha256" VARCHAR(255), "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE RESTRICT, FOREIGN KEY ("session_id") REFERENCES "session" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "prescription_patient_id" ON "prescription" ("patient_id")',
    'CREATE INDEX "prescription_session_id" ON "prescription" ("session_id")',
    'CREATE TABLE "product" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "form" VARCHAR(255) NOT NULL, "presentation" VARCHAR(255) NOT NULL, "product_class" VARCHAR(255) NOT NULL, "cis" VARCHAR(255) NOT NULL, "cip13" VARCHAR(255) NOT NULL, "corticoid" INTEGER NOT NULL, "do_not_mix" TEXT NOT NULL, "notes" TEXT NOT NULL, "active" INTEGER NOT NULL, "search_key" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL)',
    'CREATE TABLE "prescription_line" ("id" INTEGER NOT NULL PRIMARY KEY, "prescription_id" INTEGER NOT NULL, "position" INTEGER NOT NULL, "product_id" INTEGER, "dci" VARCHAR(255) NOT NULL, "brand" VARCHAR(255) NOT NULL, "strength_form" VARCHAR(255) NOT NULL, "quantity" INTEGER NOT NULL, "unit" VARCHAR(255) NOT NULL, "directions" TEXT NOT NULL, "sessions_count" INTEGER, "hors_amm_nr" INTEGER NOT NULL, FOREIGN KEY ("prescription_id") REFERENCES "prescription" ("id") ON DELETE CASCADE, FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "prescription_line_prescription_id" ON "prescription_line" ("prescription_id")',
    'CREATE INDEX "prescription_line_product_id" ON "prescription_line" ("product_id")',
    'CREATE TABLE "product_substance" ("id" INTEGER NOT NULL PRIMARY KEY, "product_id" INTEGER NOT NULL, "position" INTEGER NOT NULL, "dci" VARCHAR(255) NOT NULL, "dci_key" VARCHAR(255) NOT NULL, "strength" VARCHAR(255) NOT NULL, FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "product_substance_product_id" ON "product_substance" ("product_id")',
    'CREATE INDEX "product_substance_dci_key" ON "product_substance" ("dci_key")',
    'CREATE TABLE "session_ack" ("id" INTEGER NOT NULL PRIMARY KEY, "session_id" INTEGER NOT NULL, "code" VARCHAR(255) NOT NULL, "detail" VARCHAR(255) NOT NULL, "reason" TEXT NOT NULL, "acknowledged_at" DATETIME NOT NULL, FOREIGN KEY ("session_id") REFERENCES "session" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "session_ack_session_id" ON "session_ack" ("session_id")',
    'CREATE TABLE "session_product" ("id" INTEGER NOT NULL PRIMARY KEY, "session_id" INTEGER NOT NULL, "position" INTEGER NOT NULL, "product_id" INTEGER NOT NULL, "quantity_ul" INTEGER, "lot" VARCHAR(255) NOT NULL, "lot_key" VARCHAR(255) NOT NULL, "expiry" DATE, FOREIGN KEY ("session_id") REFERENCES "session" ("id") ON DELETE CASCADE, FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "session_product_session_id" ON "session_product" ("session_id")',
    'CREATE INDEX "session_product_product_id" ON "session_product" ("product_id")',
    'CREATE INDEX "session_product_lot_key" ON "session_product" ("lot_key")',
    'CREATE TABLE "session_technique" ("id" INTEGER NOT NULL PRIMARY KEY, "session_id" INTEGER NOT NULL, "position" INTEGER NOT NULL, "technique" VARCHAR(255), "method" VARCHAR(255), "depth_tenth_mm" INTEGER, "zone" VARCHAR(255) NOT NULL, "points" INTEGER, "needle_length_mm" INTEGER, "needle_gauge" INTEGER, "injector_model" VARCHAR(255) NOT NULL, "injector_settings" VARCHAR(255) NOT NULL, FOREIGN KEY ("session_id") REFERENCES "session" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "session_technique_session_id" ON "session_technique" ("session_id")',
    'CREATE TABLE "setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)',
)


def _step_1(conn: Any) -> None:
    for statement in _SCHEMA_1:
        conn.execute(statement)


# Schema 2: addenda to closed sessions, and closed days.
_SCHEMA_2: tuple[str, ...] = (
    'CREATE TABLE "session_addendum" ("id" INTEGER NOT NULL PRIMARY KEY, "session_id" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "author" VARCHAR(255) NOT NULL, "reason" TEXT NOT NULL, "before_json" TEXT NOT NULL, "after_json" TEXT NOT NULL, FOREIGN KEY ("session_id") REFERENCES "session" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "session_addendum_session_id" ON "session_addendum" ("session_id")',
    'CREATE TABLE "day_closure" ("day" DATE NOT NULL PRIMARY KEY, "closed_at" DATETIME NOT NULL, "sessions" INTEGER NOT NULL, "author" VARCHAR(255) NOT NULL)',
)


def _step_2(conn: Any) -> None:
    for statement in _SCHEMA_2:
        conn.execute(statement)


# Schema 3: the access log (openings, prints, exports, backups).
_SCHEMA_3: tuple[str, ...] = (
    'CREATE TABLE "access_log" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL, "who" VARCHAR(255) NOT NULL, "action" VARCHAR(255) NOT NULL, "entity" VARCHAR(255) NOT NULL, "entity_id" INTEGER, "detail" TEXT NOT NULL)',
    'CREATE INDEX "access_log_at" ON "access_log" ("at")',
)


def _step_3(conn: Any) -> None:
    for statement in _SCHEMA_3:
        conn.execute(statement)


# Schema 4: the public drug database (BDPM) as a reference beside the practitioner's catalogue.
_SCHEMA_4: tuple[str, ...] = (
    'CREATE TABLE "ref_drug" ("cis" VARCHAR(255) NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "form" VARCHAR(255) NOT NULL, "routes" VARCHAR(255) NOT NULL, "amm_status" VARCHAR(255) NOT NULL, "marketed" INTEGER NOT NULL, "injectable" INTEGER NOT NULL, "corticoid" INTEGER NOT NULL, "withdrawn" INTEGER NOT NULL, "holder" VARCHAR(255) NOT NULL, "conditions" TEXT NOT NULL, "search_key" TEXT NOT NULL, "imported_at" DATETIME NOT NULL)',
    'CREATE TABLE "ref_presentation" ("cip13" VARCHAR(255) NOT NULL PRIMARY KEY, "cis" VARCHAR(255) NOT NULL, "cip7" VARCHAR(255) NOT NULL, "label" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "marketing" VARCHAR(255) NOT NULL, "price_cents" INTEGER, "rate" VARCHAR(255) NOT NULL, FOREIGN KEY ("cis") REFERENCES "ref_drug" ("cis") ON DELETE CASCADE)',
    'CREATE INDEX "ref_presentation_cis" ON "ref_presentation" ("cis")',
    'CREATE TABLE "ref_substance" ("id" INTEGER NOT NULL PRIMARY KEY, "cis" VARCHAR(255) NOT NULL, "position" INTEGER NOT NULL, "code" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "name_key" VARCHAR(255) NOT NULL, "dosage" VARCHAR(255) NOT NULL, "reference" VARCHAR(255) NOT NULL, "nature" VARCHAR(255) NOT NULL, "link" VARCHAR(255) NOT NULL, FOREIGN KEY ("cis") REFERENCES "ref_drug" ("cis") ON DELETE CASCADE)',
    'CREATE INDEX "ref_substance_cis" ON "ref_substance" ("cis")',
    'CREATE INDEX "ref_substance_name_key" ON "ref_substance" ("name_key")',
)


def _step_4(conn: Any) -> None:
    for statement in _SCHEMA_4:
        conn.execute(statement)


# Schema 5: series and their templates, estimates, fee receipts.
_SCHEMA_5: tuple[str, ...] = (
    'CREATE TABLE "protocol" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "indication" VARCHAR(255) NOT NULL, "sessions_count" INTEGER NOT NULL, "intervals" VARCHAR(255) NOT NULL, "mixture_json" TEXT NOT NULL, "techniques_json" TEXT NOT NULL, "fee_cents" INTEGER, "active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL)',
    'CREATE TABLE "series" ("id" INTEGER NOT NULL PRIMARY KEY, "patient_id" INTEGER NOT NULL, "protocol_id" INTEGER, "name" VARCHAR(255) NOT NULL, "indication" VARCHAR(255) NOT NULL, "dates_json" TEXT NOT NULL, "fee_cents" INTEGER, "stopped" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE RESTRICT, FOREIGN KEY ("protocol_id") REFERENCES "protocol" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "series_patient_id" ON "series" ("patient_id")',
    'CREATE INDEX "series_protocol_id" ON "series" ("protocol_id")',
    'ALTER TABLE "session" ADD COLUMN "series_id" INTEGER REFERENCES "series" ("id") ON DELETE SET NULL',
    'CREATE INDEX "session_series_id" ON "session" ("series_id")',
    'CREATE TABLE "estimate" ("id" INTEGER NOT NULL PRIMARY KEY, "series_id" INTEGER NOT NULL, "patient_id" INTEGER NOT NULL, "created_on" DATE NOT NULL, "total_cents" INTEGER NOT NULL, "snapshot_json" TEXT NOT NULL, "snapshot_sha256" VARCHAR(255) NOT NULL, "accepted_on" DATE, "print_count" INTEGER NOT NULL, FOREIGN KEY ("series_id") REFERENCES "series" ("id") ON DELETE RESTRICT, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "estimate_series_id" ON "estimate" ("series_id")',
    'CREATE INDEX "estimate_patient_id" ON "estimate" ("patient_id")',
    'CREATE TABLE "receipt" ("id" INTEGER NOT NULL PRIMARY KEY, "year" INTEGER NOT NULL, "number" INTEGER NOT NULL, "patient_id" INTEGER NOT NULL, "issued_at" DATETIME NOT NULL, "amount_cents" INTEGER NOT NULL, "payment_mode" VARCHAR(255) NOT NULL, "session_ids" VARCHAR(255) NOT NULL, "credit_of_id" INTEGER, "snapshot_json" TEXT NOT NULL, "snapshot_sha256" VARCHAR(255) NOT NULL, "print_count" INTEGER NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE RESTRICT, FOREIGN KEY ("credit_of_id") REFERENCES "receipt" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "receipt_patient_id" ON "receipt" ("patient_id")',
    'CREATE INDEX "receipt_credit_of_id" ON "receipt" ("credit_of_id")',
    'CREATE UNIQUE INDEX "receipt_year_number" ON "receipt" ("year", "number")',
)


def _step_5(conn: Any) -> None:
    for statement in _SCHEMA_5:
        conn.execute(statement)


# Schema 6: name parts carry the patient's sort key and their first two letters, so that a
# search reads one index only, in name order.
_SCHEMA_6: tuple[str, ...] = (
    'CREATE TABLE "patient_token_6" ("id" INTEGER NOT NULL PRIMARY KEY, "patient_id" INTEGER NOT NULL, "token" VARCHAR(255) NOT NULL, "infix" INTEGER NOT NULL, "sort_key" VARCHAR(255) NOT NULL, "prefix2" VARCHAR(255) NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE CASCADE)',
    'INSERT INTO "patient_token_6" ("id", "patient_id", "token", "infix", "sort_key", "prefix2") SELECT t."id", t."patient_id", t."token", t."infix", p."sort_key", substr(t."token", 1, 2) FROM "patient_token" t JOIN "patient" p ON p."id" = t."patient_id"',
    'DROP TABLE "patient_token"',
    'ALTER TABLE "patient_token_6" RENAME TO "patient_token"',
    'CREATE INDEX "patient_token_patient_id" ON "patient_token" ("patient_id")',
    'CREATE UNIQUE INDEX "patient_token_token_infix_sort_key_patient_id" ON "patient_token" ("token", "infix", "sort_key", "patient_id")',
    'CREATE INDEX "patient_token_prefix2_infix_sort_key_patient_id" ON "patient_token" ("prefix2", "infix", "sort_key", "patient_id")',
)


def _step_6(conn: Any) -> None:
    for statement in _SCHEMA_6:
        conn.execute(statement)


# Schema 7: information and consent (versioned templates, records with the signed copy),
# off-label justifications per indication, access requests, ordonnance indication and boxes.
_SCHEMA_7: tuple[str, ...] = (
    'CREATE TABLE "document_template" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(255) NOT NULL, "version" INTEGER NOT NULL, "title" VARCHAR(255) NOT NULL, "body" TEXT NOT NULL, "created_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX "document_template_kind_version" ON "document_template" ("kind", "version")',
    'CREATE TABLE "consent_record" ("id" INTEGER NOT NULL PRIMARY KEY, "patient_id" INTEGER NOT NULL, "template_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "given_on" DATE NOT NULL, "indication" VARCHAR(255) NOT NULL, "indication_key" VARCHAR(255) NOT NULL, "signed" INTEGER NOT NULL, "scan" BLOB, "scan_type" VARCHAR(255), "publication" INTEGER NOT NULL, "withdrawn_on" DATE, "created_at" DATETIME NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE RESTRICT, FOREIGN KEY ("template_id") REFERENCES "document_template" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "consent_record_patient_id" ON "consent_record" ("patient_id")',
    'CREATE INDEX "consent_record_template_id" ON "consent_record" ("template_id")',
    'CREATE TABLE "offlabel_justification" ("id" INTEGER NOT NULL PRIMARY KEY, "patient_id" INTEGER NOT NULL, "indication" VARCHAR(255) NOT NULL, "indication_key" VARCHAR(255) NOT NULL, "text" TEXT NOT NULL, "written_on" DATE NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "offlabel_justification_patient_id" ON "offlabel_justification" ("patient_id")',
    'CREATE TABLE "access_request" ("id" INTEGER NOT NULL PRIMARY KEY, "patient_id" INTEGER NOT NULL, "requested_on" DATE NOT NULL, "scope" TEXT NOT NULL, "older_data" INTEGER NOT NULL, "due_on" DATE NOT NULL, "delivered_on" DATE, "created_at" DATETIME NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "access_request_patient_id" ON "access_request" ("patient_id")',
    'ALTER TABLE "prescription" ADD COLUMN "indication" VARCHAR(255) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "prescription_line" ADD COLUMN "presentation" VARCHAR(255) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "prescription_line" ADD COLUMN "units_per_box" INTEGER',
    'ALTER TABLE "prescription_line" ADD COLUMN "unit_word" VARCHAR(255) NOT NULL DEFAULT \'\'',
)


def _step_7(conn: Any) -> None:
    for statement in _SCHEMA_7:
        conn.execute(statement)


# Schema 8: injection maps of sessions and protocols, evaluations of series.
_SCHEMA_8: tuple[str, ...] = (
    'CREATE TABLE "session_map" ("session_id" INTEGER NOT NULL PRIMARY KEY, "map_json" TEXT NOT NULL, FOREIGN KEY ("session_id") REFERENCES "session" ("id") ON DELETE CASCADE)',
    'CREATE TABLE "protocol_map" ("protocol_id" INTEGER NOT NULL PRIMARY KEY, "map_json" TEXT NOT NULL, FOREIGN KEY ("protocol_id") REFERENCES "protocol" ("id") ON DELETE CASCADE)',
    'CREATE TABLE "series_evaluation" ("id" INTEGER NOT NULL PRIMARY KEY, "series_id" INTEGER NOT NULL, "after_rank" INTEGER NOT NULL, "decision" VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, "recorded_at" DATETIME NOT NULL, FOREIGN KEY ("series_id") REFERENCES "series" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "series_evaluation_series_id" ON "series_evaluation" ("series_id")',
)


def _step_8(conn: Any) -> None:
    for statement in _SCHEMA_8:
        conn.execute(statement)


# Schema 9: the device register and its cleaning log, the device (and single-use lots) of each
# technique line, structured adverse events with their follow-ups; the events ticked on
# sessions so far become structured records (one per ticked kind, nothing lost).
_SCHEMA_9: tuple[str, ...] = (
    'CREATE TABLE "device" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(255) NOT NULL, "model" VARCHAR(255) NOT NULL, "serial" VARCHAR(255) NOT NULL, "serial_key" VARCHAR(255) NOT NULL, "in_service_from" DATE, "in_service_to" DATE, "status" VARCHAR(255) NOT NULL, "notes" TEXT NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX "device_serial_key" ON "device" ("serial_key")',
    'CREATE TABLE "device_log" ("id" INTEGER NOT NULL PRIMARY KEY, "device_id" INTEGER NOT NULL, "at" DATETIME NOT NULL, "action" VARCHAR(255) NOT NULL, "product" VARCHAR(255) NOT NULL, "lot" VARCHAR(255) NOT NULL, "who" VARCHAR(255) NOT NULL, "notes" TEXT NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("device_id") REFERENCES "device" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "device_log_device_id" ON "device_log" ("device_id")',
    'CREATE INDEX "device_log_device_id_at" ON "device_log" ("device_id", "at")',
    'ALTER TABLE "session_technique" ADD COLUMN "device_id" INTEGER REFERENCES "device" ("id") ON DELETE RESTRICT',
    'ALTER TABLE "session_technique" ADD COLUMN "needle_lot" VARCHAR(255)',
    'ALTER TABLE "session_technique" ADD COLUMN "syringe_lot" VARCHAR(255)',
    'CREATE INDEX "session_technique_device_id" ON "session_technique" ("device_id")',
    'CREATE TABLE "vigilance_event" ("id" INTEGER NOT NULL PRIMARY KEY, "session_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "kind_other" VARCHAR(255) NOT NULL, "description" TEXT NOT NULL, "onset" DATE, "seriousness" VARCHAR(255), "treatment" TEXT NOT NULL, "outcome" VARCHAR(255) NOT NULL, "suspects_json" TEXT NOT NULL, "device_suspected" INTEGER NOT NULL, "weight_kg" INTEGER, "decision" VARCHAR(255), "decision_reason" TEXT NOT NULL, "reported_on" DATE, "report_reference" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("session_id") REFERENCES "session" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "vigilance_event_session_id" ON "vigilance_event" ("session_id")',
    'CREATE TABLE "vigilance_followup" ("id" INTEGER NOT NULL PRIMARY KEY, "event_id" INTEGER NOT NULL, "noted_on" DATE NOT NULL, "outcome" VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("event_id") REFERENCES "vigilance_event" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "vigilance_followup_event_id" ON "vigilance_followup" ("event_id")',
    'INSERT INTO "vigilance_event" ("session_id", "kind", "kind_other", "description", "onset", "seriousness", "treatment", "outcome", "suspects_json", "device_suspected", "weight_kg", "decision", "decision_reason", "reported_on", "report_reference", "created_at", "updated_at") SELECT s."id", j."value", \'\', s."adverse_notes", date(s."performed_at"), NULL, \'\', \'inconnue\', \'null\', 0, NULL, NULL, \'\', NULL, \'\', s."updated_at", s."updated_at" FROM "session" s, json_each(s."adverse_events_json") j ORDER BY s."id", j."key"',
)


def _step_9(conn: Any) -> None:
    for statement in _SCHEMA_9:
        conn.execute(statement)


# Schema 10: the purpose of each session (therapeutic or aesthetic), the practice's tax and
# insurance settings, notes with VAT split and several payments, estimates of one session.
_SCHEMA_10: tuple[str, ...] = (
    'ALTER TABLE "session" ADD COLUMN "purpose" VARCHAR(255) NOT NULL DEFAULT \'a_preciser\'',
    'ALTER TABLE "session" ADD COLUMN "purpose_reason" TEXT NOT NULL DEFAULT \'\'',
    'CREATE TABLE "practice_settings" ("id" INTEGER NOT NULL PRIMARY KEY, "vat_regime" VARCHAR(255) NOT NULL, "vat_number" VARCHAR(255) NOT NULL, "vat_rate_bp" INTEGER NOT NULL, "ordre_number" VARCHAR(255) NOT NULL, "insurer" VARCHAR(255) NOT NULL, "insurance_contract" VARCHAR(255) NOT NULL, "stamp_png" BLOB, "reflection_days" INTEGER NOT NULL, "updated_at" DATETIME NOT NULL)',
    'ALTER TABLE "receipt" ADD COLUMN "ht_cents" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "receipt" ADD COLUMN "vat_cents" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "receipt" ADD COLUMN "exempt_cents" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "receipt" ADD COLUMN "paid_on" DATE',
    'UPDATE "receipt" SET "ht_cents" = "amount_cents", "paid_on" = date("issued_at")',
    'CREATE INDEX "receipt_paid_on" ON "receipt" ("paid_on")',
    'CREATE TABLE "receipt_payment" ("id" INTEGER NOT NULL PRIMARY KEY, "receipt_id" INTEGER NOT NULL, "position" INTEGER NOT NULL, "mode" VARCHAR(255) NOT NULL, "amount_cents" INTEGER NOT NULL, FOREIGN KEY ("receipt_id") REFERENCES "receipt" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "receipt_payment_receipt_id" ON "receipt_payment" ("receipt_id")',
    'INSERT INTO "receipt_payment" ("receipt_id", "position", "mode", "amount_cents") SELECT "id", 0, "payment_mode", "amount_cents" FROM "receipt"',
    'CREATE TABLE "estimate_10" ("id" INTEGER NOT NULL PRIMARY KEY, "series_id" INTEGER, "session_id" INTEGER, "protocol_id" INTEGER, "patient_id" INTEGER NOT NULL, "created_on" DATE NOT NULL, "purpose" VARCHAR(255) NOT NULL, "total_cents" INTEGER NOT NULL, "snapshot_json" TEXT NOT NULL, "snapshot_sha256" VARCHAR(255) NOT NULL, "accepted_on" DATE, "print_count" INTEGER NOT NULL, FOREIGN KEY ("series_id") REFERENCES "series" ("id") ON DELETE RESTRICT, FOREIGN KEY ("session_id") REFERENCES "session" ("id") ON DELETE RESTRICT, FOREIGN KEY ("protocol_id") REFERENCES "protocol" ("id") ON DELETE SET NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE RESTRICT)',
    'INSERT INTO "estimate_10" ("id", "series_id", "session_id", "protocol_id", "patient_id", "created_on", "purpose", "total_cents", "snapshot_json", "snapshot_sha256", "accepted_on", "print_count") SELECT e."id", e."series_id", NULL, s."protocol_id", e."patient_id", e."created_on", \'a_preciser\', e."total_cents", e."snapshot_json", e."snapshot_sha256", e."accepted_on", e."print_count" FROM "estimate" e JOIN "series" s ON s."id" = e."series_id"',
    'DROP TABLE "estimate"',
    'ALTER TABLE "estimate_10" RENAME TO "estimate"',
    'CREATE INDEX "estimate_series_id" ON "estimate" ("series_id")',
    'CREATE INDEX "estimate_session_id" ON "estimate" ("session_id")',
    'CREATE INDEX "estimate_protocol_id" ON "estimate" ("protocol_id")',
    'CREATE INDEX "estimate_patient_id" ON "estimate" ("patient_id")',
)

# The pick-list of indications as released, with its purpose (frozen: never today's list).
_AESTHETIC_10 = frozenset({"alopecie", "visage", "cou et decollete", "mains", "cellulite"})
_THERAPEUTIC_10 = frozenset(
    {
        "arthrose", "tendinopathie", "lombalgie", "cervicalgie", "dorsalgie", "entorse",
        "contracture musculaire", "nevralgie", "migraine", "syndrome du canal carpien",
        "epicondylite", "periarthrite de l'epaule", "medecine du sport",
        "insuffisance veineuse", "stress", "aide au sevrage tabagique", "cicatrice",
    }
)  # fmt: skip


def _fold_10(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _purpose_10(indication: str) -> str:
    key = _fold_10(indication)
    if key in _AESTHETIC_10:
        return "esthetique"
    return "therapeutique" if key in _THERAPEUTIC_10 else "a_preciser"


def _step_10(conn: Any) -> None:
    for statement in _SCHEMA_10:
        conn.execute(statement)
    for table in ("session", "series"):
        rows = conn.execute(f'SELECT "id", "indication" FROM "{table}"').fetchall()
        purposes = [(_purpose_10(indication), row_id) for row_id, indication in rows]
        if table == "session":
            conn.executemany('UPDATE "session" SET "purpose" = ? WHERE "id" = ?', purposes)
        else:
            conn.executemany('UPDATE "estimate" SET "purpose" = ? WHERE "series_id" = ?', purposes)


# Schema 11: clinical photographs; the images are encrypted files beside the base, each with its
# own key kept in this table (the base is encrypted), so that photos never weigh on the base.
_SCHEMA_11: tuple[str, ...] = (
    'CREATE TABLE "photo" ("id" INTEGER NOT NULL PRIMARY KEY, "patient_id" INTEGER NOT NULL, "session_id" INTEGER NOT NULL, "view" VARCHAR(255) NOT NULL, "zone" VARCHAR(255) NOT NULL, "taken_on" DATE NOT NULL, "note" TEXT NOT NULL, "width" INTEGER NOT NULL, "height" INTEGER NOT NULL, "sha256" VARCHAR(255) NOT NULL, "blob_name" VARCHAR(255) NOT NULL, "blob_key" BLOB NOT NULL, "stored_bytes" INTEGER NOT NULL, "consent_acknowledged" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") ON DELETE RESTRICT, FOREIGN KEY ("session_id") REFERENCES "session" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "photo_patient_id" ON "photo" ("patient_id")',
    'CREATE INDEX "photo_session_id" ON "photo" ("session_id")',
    'CREATE UNIQUE INDEX "photo_blob_name" ON "photo" ("blob_name")',
    'CREATE INDEX "photo_patient_id_view_taken_on" ON "photo" ("patient_id", "view", "taken_on")',
)


def _step_11(conn: Any) -> None:
    for statement in _SCHEMA_11:
        conn.execute(statement)


# Schema 12: accounts (practitioners and secretaries) and who did what. Sessions, ordonnances,
# notes, practice settings and the access log name their practitioner or account; notes are
# numbered per practitioner and year. What exists belongs to the single practitioner, who is
# given the one account (its password stays the base's passphrase: password_hash NULL).
_SCHEMA_12: tuple[str, ...] = (
    'CREATE TABLE "account" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "login" VARCHAR(255) NOT NULL, "role" VARCHAR(255) NOT NULL, "password_hash" VARCHAR(255), "practitioner_id" INTEGER, "active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("practitioner_id") REFERENCES "practitioner" ("id") ON DELETE RESTRICT)',
    'CREATE UNIQUE INDEX "account_login" ON "account" ("login")',
    'CREATE INDEX "account_practitioner_id" ON "account" ("practitioner_id")',
    'ALTER TABLE "session" ADD COLUMN "practitioner_id" INTEGER REFERENCES "practitioner" ("id") ON DELETE RESTRICT',
    'CREATE INDEX "session_practitioner_id" ON "session" ("practitioner_id")',
    'ALTER TABLE "prescription" ADD COLUMN "practitioner_id" INTEGER REFERENCES "practitioner" ("id") ON DELETE RESTRICT',
    'CREATE INDEX "prescription_practitioner_id" ON "prescription" ("practitioner_id")',
    'ALTER TABLE "audit_event" ADD COLUMN "account_id" INTEGER',
    'ALTER TABLE "access_log" ADD COLUMN "account_id" INTEGER REFERENCES "account" ("id") ON DELETE RESTRICT',
    'CREATE INDEX "access_log_account_id" ON "access_log" ("account_id")',
    'ALTER TABLE "receipt" ADD COLUMN "practitioner_id" INTEGER REFERENCES "practitioner" ("id") ON DELETE RESTRICT',
    'ALTER TABLE "receipt" ADD COLUMN "account_id" INTEGER REFERENCES "account" ("id") ON DELETE RESTRICT',
    'CREATE INDEX "receipt_account_id" ON "receipt" ("account_id")',
    'DROP INDEX "receipt_year_number"',
    'CREATE UNIQUE INDEX "receipt_practitioner_id_year_number" ON "receipt" ("practitioner_id", "year", "number")',
    'ALTER TABLE "practice_settings" ADD COLUMN "practitioner_id" INTEGER REFERENCES "practitioner" ("id") ON DELETE RESTRICT',
    'CREATE UNIQUE INDEX "practice_settings_practitioner_id" ON "practice_settings" ("practitioner_id")',
)
# Existing rows: the single practitioner (the first record; earlier versions kept only one).
_OWNER_12 = '(SELECT min("id") FROM "practitioner")'
_FILL_12: tuple[str, ...] = tuple(
    f'UPDATE "{table}" SET "practitioner_id" = {_OWNER_12}'
    for table in ("session", "prescription", "receipt", "practice_settings")
)


def _login_12(last_name: str) -> str:
    """A login from the name: folded to a-z, 0-9, dot and dash ("praticien" when nothing is left)."""
    folded = _fold_10(last_name).replace(" ", "-")
    login = "".join(c for c in folded if c.isascii() and (c.isalnum() or c in ".-"))
    return login.strip(".-")[:40] or "praticien"


def _step_12(conn: Any) -> None:
    for statement in _SCHEMA_12 + _FILL_12:
        conn.execute(statement)
    _owner_account_12(conn, "?", "1")


# The same step on a practice server (PostgreSQL types as in db/migrations_pg.py's baseline:
# identity keys, TEXT compared byte by byte, BOOLEAN, TIMESTAMP; DDL inside the transaction).
_SCHEMA_12_PG: tuple[str, ...] = (
    'CREATE TABLE "account" ("id" INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "name" TEXT COLLATE "C" NOT NULL, "login" TEXT COLLATE "C" NOT NULL, "role" TEXT COLLATE "C" NOT NULL, "password_hash" TEXT COLLATE "C", "practitioner_id" INTEGER, "active" BOOLEAN NOT NULL, "created_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("practitioner_id") REFERENCES "practitioner" ("id") ON DELETE RESTRICT)',
    *_SCHEMA_12[1:],
)


def _step_12_pg(conn: Any) -> None:
    for statement in _SCHEMA_12_PG + _FILL_12:
        conn.execute(statement)
    _owner_account_12(conn, "%s", "TRUE")


def _owner_account_12(conn: Any, mark: str, true: str) -> None:
    """The existing practitioner's account; mark is the engine's parameter marker."""
    row = conn.execute(
        'SELECT "id", "first_name", "last_name", "created_at" FROM "practitioner" '
        'ORDER BY "id" LIMIT 1'
    ).fetchone()
    if row is None:
        return  # no practitioner yet: the account comes with the practitioner's identity
    practitioner_id, first_name, last_name, created_at = row
    name = f"{first_name} {last_name}".strip() or "Praticien"
    conn.execute(
        'INSERT INTO "account" ("name", "login", "role", "password_hash", "practitioner_id", '
        f'"active", "created_at", "updated_at") VALUES ({mark}, {mark}, \'praticien\', NULL, '
        f"{mark}, {true}, {mark}, {mark})",
        (name, _login_12(last_name), practitioner_id, created_at, created_at),
    )
    conn.execute('UPDATE "access_log" SET "account_id" = (SELECT min("id") FROM "account")')


# Schema 13: a photo's sealed parts on a practice server. The desks share the server, not a
# folder: each part (original, preview, thumbnail) is kept there as the desk sealed it
# (AES-256-GCM, its key in the photo row; the server never sees an image in clear), and goes
# with its photo's row (ON DELETE CASCADE; checked at commit, as the parts are written first).
# A file base gets the same empty table (one schema on both engines, so that migrate-to-server
# copies table for table) and keeps its photos in files beside it.
_SCHEMA_13: tuple[str, ...] = (
    'CREATE TABLE "photo_part" ("name" VARCHAR(255) NOT NULL, "part" VARCHAR(255) NOT NULL, "data" BLOB NOT NULL, PRIMARY KEY ("name", "part"), FOREIGN KEY ("name") REFERENCES "photo" ("blob_name") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED)',
)
_SCHEMA_13_PG: tuple[str, ...] = (
    'CREATE TABLE "photo_part" ("name" TEXT COLLATE "C" NOT NULL, "part" TEXT COLLATE "C" NOT NULL, "data" BYTEA NOT NULL, PRIMARY KEY ("name", "part"), FOREIGN KEY ("name") REFERENCES "photo" ("blob_name") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED)',
)


def _step_13(conn: Any) -> None:
    for statement in _SCHEMA_13:
        conn.execute(statement)


def _step_13_pg(conn: Any) -> None:
    for statement in _SCHEMA_13_PG:
        conn.execute(statement)


@dataclass(frozen=True, slots=True)
class Step:
    """One schema step: apply on SQLite; postgres on a practice server (steps after the
    PostgreSQL baseline, db/migrations_pg.py, must declare both)."""

    version: int
    description: str
    apply: Callable[[Any], None]
    postgres: Callable[[Any], None] | None = None


STEPS: tuple[Step, ...] = (
    Step(1, "Schéma initial", _step_1),
    Step(2, "Addenda et clôture des journées", _step_2),
    Step(3, "Journal des accès", _step_3),
    Step(4, "Base publique des médicaments", _step_4),
    Step(5, "Séries, devis et notes d'honoraires", _step_5),
    Step(6, "Index de recherche des noms", _step_6),
    Step(7, "Information et consentement, demandes d'accès, boîtes", _step_7),
    Step(8, "Cartes des injections et évaluations des séries", _step_8),
    Step(9, "Injecteurs, hygiène et vigilance", _step_9),
    Step(10, "Finalité des séances, TVA, règlements et devis d'une séance", _step_10),
    Step(11, "Photographies cliniques", _step_11),
    Step(12, "Comptes du cabinet et auteur de chaque acte", _step_12, _step_12_pg),
    Step(13, "Photographies partagées par le serveur du cabinet", _step_13, _step_13_pg),
)

LATEST_VERSION = STEPS[-1].version
