"""Benchmarks: a synthetic practice of 20 years, built through the app's own open path."""

from __future__ import annotations

import json
import random
import shutil
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from db.encryption import derive
from db.migrations import LATEST_VERSION
from db.photo_store import folder_for
from mesodesk import normalize
from mesodesk.demo import FEMALE_NAMES, LAST_NAMES, MALE_NAMES, demo_practitioner
from mesodesk.services import open_services

PER_DAY = 40
PRODUCTS_PER_SESSION = 4
HISTORY_PATIENT_SESSIONS = 200
BIG_DAY_SESSIONS = 60
PASSPHRASE = "banc d'essai chiffré pour mesodesk"
CHUNK = 20_000

# More surnames than the demo's, for realistic search selectivity.
EXTRA_LAST = (
    "Lemaire",
    "Poulain",
    "Tessier",
    "Besnard",
    "Collet",
    "Pichon",
    "Ferrand",
    "Maillard",
    "Guillot",
    "Hamon",
    "Carpentier",
    "Lebrun",
    "Charpentier",
    "Gilbert",
    "Lacombe",
    "Marechal",
    "Perrot",
    "Humbert",
    "Vasseur",
    "Jacquet",
    "Boucher",
    "Lévêque",
    "Dufresne",
    "Thébault",
    "Gaudin",
    "Périer",
    "Bouvier",
    "Chauvin",
    "Langlois",
    "Benard",
    "Delattre",
    "Cordier",
    "Pelletier",
    "Riviere",
    "Léger",
)


@dataclass(frozen=True, slots=True)
class Scale:
    """How big a practice: the bench's own (100 000 patients) and one tenth of it (growth)."""

    patients: int
    sessions: int
    prescriptions: int

    @property
    def label(self) -> str:
        whole = self.patients % 1000 == 0
        return f"{self.patients // 1000}k" if whole else f"{self.patients}p"


FULL = Scale(100_000, 250_000, 20_000)
TENTH = Scale(10_000, 25_000, 2_000)
# Bumped when what the builder puts in the base changes (the cached files are then rebuilt).
FORMAT = 2


@dataclass(frozen=True, slots=True)
class Built:
    plain: Path
    encrypted: Path
    seconds: float
    size_bytes: int
    big_day: date
    history_patient: int
    cached: bool


def _insert(conn: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    marks = ", ".join("?" for _ in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    for start in range(0, len(rows), CHUNK):
        conn.executemany(
            f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows[start : start + CHUNK]
        )


def _patients(
    rng: random.Random, today: date, scale: Scale
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    surnames = LAST_NAMES + EXTRA_LAST
    now = datetime.combine(today, datetime.min.time())
    patients, tokens = [], []
    for pid in range(1, scale.patients + 1):
        female = rng.random() < 0.62
        first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        last = rng.choice(surnames)
        birth = today - timedelta(days=rng.randrange(18 * 365, 90 * 365))
        phone = (
            f"+33 6 {rng.randrange(10, 99)} {rng.randrange(10, 99)} "
            f"{rng.randrange(10, 99)} {rng.randrange(10, 99)}"
        )
        patients.append(
            (
                pid,
                last,
                "",
                first,
                "F" if female else "M",
                birth.isoformat(),
                "",
                "",
                "",
                phone,
                "",
                "",
                "",
                "",
                "",
                0,
                "inconnu",
                None,
                None,
                "",
                "",
                0,
                None,
                normalize.sort_key(last, first),
                str(now),
                str(now),
            )
        )
        names = normalize.name_tokens(last, first)
        key = normalize.sort_key(last, first)
        tokens += [(pid, t, 0, key, t[:2]) for t in names]
        tokens += [(pid, t, 1, key, t[:2]) for t in normalize.infix_tokens(names)]
    return patients, tokens


PATIENT_COLUMNS = (
    "id",
    "last_name",
    "birth_name",
    "first_name",
    "sex",
    "birth_date",
    "address",
    "postcode",
    "city",
    "phone",
    "email",
    "regular_doctor",
    "history",
    "allergy_notes",
    "treatments",
    "anticoagulant",
    "pregnancy",
    "pregnancy_date",
    "consent_date",
    "offlabel_justification",
    "notes",
    "archived",
    "archived_at",
    "sort_key",
    "created_at",
    "updated_at",
)
SESSION_COLUMNS = (
    "id",
    "patient_id",
    "performed_at",
    "indication",
    "zones_json",
    "series_rank",
    "series_total",
    "eva_before",
    "eva_after",
    "adverse_events_json",
    "adverse_notes",
    "observation_done",
    "notes",
    "fee_cents",
    "payment_mode",
    "status",
    "created_at",
    "updated_at",
)


def _session_rows(
    rng: random.Random, today: date, product_ids: list[int], scale: Scale
) -> dict[str, list[tuple[Any, ...]]]:
    sessions, products, techniques = [], [], []
    slots: list[tuple[date, int]] = []
    day = today - timedelta(days=1)
    while len(slots) < scale.sessions - BIG_DAY_SESSIONS - HISTORY_PATIENT_SESSIONS:
        if day.weekday() < 5:
            slots += [(day, s) for s in range(PER_DAY)]
        day -= timedelta(days=1)
    slots = slots[: scale.sessions - BIG_DAY_SESSIONS - HISTORY_PATIENT_SESSIONS]
    slots += [(today, s) for s in range(BIG_DAY_SESSIONS)]
    first_day = min(d for d, _ in slots)
    span = (today - first_day).days
    history = [
        (first_day + timedelta(days=int(i * span / HISTORY_PATIENT_SESSIONS)), 39)
        for i in range(HISTORY_PATIENT_SESSIONS)
    ]
    for sid, (day, slot) in enumerate(slots + history, start=1):
        pid = 1 if sid > len(slots) else rng.randrange(2, scale.patients + 1)
        at = datetime.combine(day, datetime.min.time()) + timedelta(hours=8, minutes=12 * slot)
        closed = "cloturee" if day < today else "complete"
        sessions.append(
            (
                sid,
                pid,
                str(at),
                "Tendinopathie",
                '[["Épaule", "droite"]]',
                None,
                None,
                rng.randint(4, 9),
                rng.randint(0, 4),
                "[]",
                "",
                1,
                "",
                rng.choice((5000, 6000, 7000)),
                rng.choice(("carte", "cheque", "especes")),
                closed,
                str(at),
                str(at),
            )
        )
        for position in range(PRODUCTS_PER_SESSION):
            lot = f"L{rng.randrange(10_000, 99_999)}"
            products.append(
                (
                    sid,
                    position,
                    rng.choice(product_ids),
                    rng.choice((1000, 2000, 2500)),
                    lot,
                    lot,
                    (day + timedelta(days=400)).isoformat(),
                )
            )
        for position in range(1 + (sid % 2)):
            techniques.append(
                (sid, position, "injecteur", "idp", 40, "Épaule", 120, 4, 32, "U225", "")
            )
    return {"session": sessions, "session_product": products, "session_technique": techniques}


def _prescriptions(
    rng: random.Random, today: date, scale: Scale
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    heads, lines = [], []
    for rid in range(1, scale.prescriptions + 1):
        day = today - timedelta(days=rng.randrange(0, 6000))
        heads.append(
            (
                rid,
                rng.randrange(2, scale.patients + 1),
                None,
                day.isoformat(),
                None,
                0,
                None,
                None,
                str(day),
                str(day),
            )
        )
        for position in range(2):
            lines.append(
                (
                    rid,
                    position,
                    None,
                    "procaïne (chlorhydrate de)",
                    "Procaïne",
                    "20 mg/ml, solution injectable",
                    2,
                    "ampoule",
                    "Pour mésothérapie",
                    4,
                    1,
                )
            )
    return heads, lines


def _fill(services: Any, seed: int, today: date, scale: Scale) -> None:
    rng = random.Random(seed)
    services.practitioner.save(demo_practitioner(rng))
    product_ids = [p.id for p in services.products.search("")]
    patients, tokens = _patients(rng, today, scale)
    rows = _session_rows(rng, today, product_ids, scale)
    heads, lines = _prescriptions(rng, today, scale)
    database = services.opened.database
    conn = database.connection()
    with database.atomic():
        _insert(conn, "patient", PATIENT_COLUMNS, patients)
        _insert(
            conn, "patient_token", ("patient_id", "token", "infix", "sort_key", "prefix2"), tokens
        )
        _insert(conn, "session", SESSION_COLUMNS, rows["session"])
        _insert(
            conn,
            "session_product",
            ("session_id", "position", "product_id", "quantity_ul", "lot", "lot_key", "expiry"),
            rows["session_product"],
        )
        _insert(
            conn,
            "session_technique",
            (
                "session_id",
                "position",
                "technique",
                "method",
                "depth_tenth_mm",
                "zone",
                "points",
                "needle_length_mm",
                "needle_gauge",
                "injector_model",
                "injector_settings",
            ),
            rows["session_technique"],
        )
        _insert(
            conn,
            "prescription",
            (
                "id",
                "patient_id",
                "session_id",
                "prescribed_on",
                "issued_at",
                "print_count",
                "snapshot_json",
                "snapshot_sha256",
                "created_at",
                "updated_at",
            ),
            heads,
        )
        _insert(
            conn,
            "prescription_line",
            (
                "prescription_id",
                "position",
                "product_id",
                "dci",
                "brand",
                "strength_form",
                "quantity",
                "unit",
                "directions",
                "sessions_count",
                "hors_amm_nr",
            ),
            lines,
        )


def build(cache: Path, seed: int, today: date, scale: Scale = FULL) -> Built:
    """The synthetic database for seed and scale, built once (plain and encrypted), then reused.

    Patient 1 has 200 sessions and every tab of the patient file filled (bench.filled)."""
    from bench import filled

    cache.mkdir(parents=True, exist_ok=True)
    # The schema version is part of the name: a new schema builds anew.
    prefix = f"synthetique-{seed}-{scale.label}-"
    stem = f"{prefix}f{FORMAT}-schema{LATEST_VERSION}"
    plain = cache / f"{stem}.sqlite"
    encrypted = cache / f"{stem}-chiffre.sqlite"
    meta_path = cache / f"{stem}.json"
    if plain.exists() and encrypted.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        return Built(
            plain,
            encrypted,
            meta["seconds"],
            plain.stat().st_size,
            date.fromisoformat(meta["big_day"]),
            1,
            True,
        )
    for stale in [*cache.glob(f"{prefix}*"), *cache.glob(f"synthetique-{seed}-schema*")]:
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    started = time.perf_counter()
    services = open_services(plain, cache / "sauvegardes")
    try:
        _fill(services, seed, today, scale)
        filled.fill_patient_file(services, 1, seed, today)
        services.opened.database.execute_sql("ANALYZE")
        services.opened.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        services.close()
    _encrypt(plain, encrypted)
    seconds = time.perf_counter() - started
    meta_path.write_text(json.dumps({"seconds": seconds, "big_day": today.isoformat()}))
    return Built(plain, encrypted, seconds, plain.stat().st_size, today, 1, False)


def _encrypt(plain: Path, encrypted: Path) -> None:
    """The same data under SQLCipher, through sqlcipher_export (whole-file encryption)."""
    from sqlcipher3 import dbapi2 as sqlcipher

    cipher = derive(PASSPHRASE, bytes(range(16)))
    conn = sqlcipher.connect(str(plain))
    try:
        conn.execute(f"ATTACH DATABASE '{encrypted}' AS enc KEY \"{cipher.literal}\"")
        conn.execute("SELECT sqlcipher_export('enc')")
        for pragma in ("user_version", "application_id"):
            value = conn.execute(f"PRAGMA main.{pragma}").fetchone()[0]
            conn.execute(f"PRAGMA enc.{pragma} = {value}")
        conn.execute("DETACH DATABASE enc")
    finally:
        conn.close()
    # The photo files are sealed with their own keys (kept in the base): the same files serve.
    photos = folder_for(plain)
    if photos.is_dir():
        shutil.copytree(photos, folder_for(encrypted))
