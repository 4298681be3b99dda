"""Tests: schema 7 classifies existing sessions by indication and keeps old notes readable."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

from db.connection import close_database
from mesodesk.domain import PaymentMode, Purpose
from mesodesk.services import open_services

FIXTURE = Path(__file__).parent / "fixtures" / "schema_v6.sqlite"
LEGACY_NOTE = {
    "id": 1,
    "label": "2026-0001",
    "issued_at": "2026-11-20T10:00:00",
    "practitioner": {
        "title": "Docteur",
        "last_name": "Marchetti",
        "first_name": "Hélène",
        "qualifications": ["Médecin généraliste"],
        "rpps": "10003456786",
        "address_lines": ["12, rue de l'Hôpital"],
        "postcode": "69003",
        "city": "Lyon",
        "country": "France",
        "phone": "+33 4 78 12 34 56",
        "email": "cabinet@exemple.fr",
        "signature_png": None,
    },
    "patient": {
        "last_name": "Laurent",
        "first_name": "Anne",
        "sex": "F",
        "birth_date": "1970-01-01",
    },
    "lines": [["2026-11-20", "Séance de mésothérapie", 6050]],
    "payment_mode": "cheque",
    "credit_of": None,
    "reason": "",
}


def test_sessions_classified_and_old_notes_upgraded(tmp_path: Path) -> None:
    copy = tmp_path / "v6.sqlite"
    shutil.copy(FIXTURE, copy)
    text = json.dumps(LEGACY_NOTE, ensure_ascii=False, sort_keys=True)

    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE session SET indication = 'Rides du lion' WHERE id = 16")
        conn.execute(
            "INSERT INTO receipt (id, year, number, patient_id, issued_at, amount_cents, "
            "payment_mode, session_ids, credit_of_id, snapshot_json, snapshot_sha256, "
            "print_count) VALUES (1, 2026, 1, 1, '2026-11-20 10:00:00', 6050, 'cheque', '1', "
            "NULL, ?, ?, 0)",
            (text, hashlib.sha256(text.encode()).hexdigest()),
        )
    conn.close()
    services = open_services(copy, tmp_path / "sauvegardes")
    try:
        by_id = {i: services.sessions.get(i).draft.purpose for i in range(1, 17)}
        assert by_id[5] is Purpose.ESTHETIQUE  # Alopécie
        assert by_id[1] is by_id[13] is Purpose.THERAPEUTIQUE  # Tendinopathie, Arthrose
        assert by_id[16] is Purpose.A_PRECISER  # free text: flagged for review
        (record,) = services.billing.receipts()
        assert record.paid_on.isoformat() == "2026-11-20"
        assert record.payments[0].mode is PaymentMode.CHEQUE and record.ht_cents == 6050
        doc = services.billing.document(record.id)
        assert doc.total_cents == 6050 and doc.lines[0].purpose is Purpose.THERAPEUTIQUE
    finally:
        close_database(services.opened)
