"""Tests: the practice server's grants list covers every table of the latest schema."""

from __future__ import annotations

from db import grants
from db.models import ALL_ROWS
from db.server import VERSION_TABLE


def test_every_table_of_the_latest_schema_is_in_the_grants_list() -> None:
    tables = {row._meta.table_name for row in ALL_ROWS} | {VERSION_TABLE}
    missing = sorted(tables - set(grants.SECRETARY_ACCESS))
    assert not missing, (
        f"Tables absentes de db/grants.py SECRETARY_ACCESS : {missing}. Dites ce que le "
        "secrétariat peut en lire sur un serveur (None : contenu clinique, aucun accès)."
    )
    gone = sorted(set(grants.SECRETARY_ACCESS) - tables)
    assert not gone, f"Tables de SECRETARY_ACCESS qui ne sont plus au schéma : {gone}"


def test_clinical_tables_and_columns_stay_closed_to_the_secretary() -> None:
    for table in (
        "patient_allergy",
        "prescription",
        "prescription_line",
        "photo",
        "vigilance_event",
        "vigilance_followup",
        "session_product",
        "session_technique",
        "session_map",
        "session_addendum",
        "series_evaluation",
        "consent_record",
        "offlabel_justification",
    ):
        assert grants.SECRETARY_ACCESS[table] is None, table
    clinical = {"history", "allergy_notes", "treatments", "pregnancy", "notes", "anticoagulant"}
    assert not clinical & set(grants.PATIENT_SEEN)
    assert not {"indication", "notes", "zones_json", "adverse_notes"} & set(grants.SESSION_SEEN)
    assert set(grants.AUDIT_SEEN) == {"id", "hash"}
