"""Benchmarks: `python -m bench` — build (or reuse) the synthetic practice, measure, report."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench import app_figures as apps
from bench import build as builder
from bench import bundle, photo_budget
from bench import figures as fig
from bench.check import audited, check_lines
from bench.figures import Figure, floor_figure, median, p90, timed
from bench.maps import map_figures
from bench.pg import server_figures
from bench.photos import photo_figures

ROOT = Path(__file__).resolve().parent.parent
BDPM_FULL = ROOT.parent / "shared" / "data" / "bdpm" / "full"


def _services(path: Path, passphrase: str | None) -> Any:
    from mesodesk.services import open_services

    return open_services(path, passphrase=passphrase)


def service_figures(
    path: Path, passphrase: str | None, day: date, label: str
) -> dict[str, list[float]]:
    """Search, day and history on one database (plain or encrypted), each beside raw SQL."""
    services = _services(path, passphrase)
    try:
        cipher = services.opened.cipher.literal if services.opened.cipher else None
        out = {
            "search": fig.search_service(services),
            "day": timed(lambda: services.sessions.for_day(day), 15),
            "day_raw": timed(fig.raw_day(path, cipher, day), 15),
            "history": timed(lambda: services.sessions.for_patient(1), 15),
            "history_raw": timed(fig.raw_history(path, cipher, 1), 15),
        }
        out["sessions_in_day"] = [float(len(services.sessions.for_day(day)))]
    finally:
        services.close()
    return out


def search_lines(enc: dict[str, list[float]], plain: dict[str, list[float]]) -> list[Figure]:
    e, p = p90(enc["search"]), p90(plain["search"])
    return [
        Figure(
            "search_p90_encrypted",
            "2. recherche patient, service, p90 (chiffré)",
            e,
            "ms",
            p,
            "≤ 5 ms et ≤ 1,25 × clair",
            e <= 5 and e <= 1.25 * p,
        ),
        Figure(
            "search_max_encrypted",
            "2. recherche patient, service, pire cas (chiffré)",
            max(enc["search"]),
            "ms",
            None,
            "≤ 10 ms",
            max(enc["search"]) <= 10,
        ),
        Figure(
            "search_p90_plain",
            "2. recherche patient, service, p90 (clair)",
            p,
            "ms",
            None,
            "≤ 5 ms",
            p <= 5,
        ),
        Figure(
            "search_max_plain",
            "2. recherche patient, service, pire cas (clair)",
            max(plain["search"]),
            "ms",
            None,
            "≤ 10 ms",
            max(plain["search"]) <= 10,
        ),
    ]


def read_lines(enc: dict[str, list[float]], plain: dict[str, list[float]]) -> list[Figure]:
    count = int(enc["sessions_in_day"][0])
    day, day_raw = median(enc["day"]), median(enc["day_raw"])
    history, history_raw = median(enc["history"]), median(enc["history_raw"])
    return [
        Figure(
            "day_ms",
            f"3. journée de {count} séances, service (chiffré)",
            day,
            "ms",
            day_raw,
            "≤ 10 ms et ≤ 3 × sqlite3 brut",
            day <= 10 and day <= 3 * day_raw,
        ),
        floor_figure("day_raw_ms", "3. journée : les mêmes lectures, sqlite3 brut", day_raw, "ms"),
        Figure(
            "day_plain_ms",
            f"3. journée de {count} séances, service (clair)",
            median(plain["day"]),
            "ms",
            median(plain["day_raw"]),
            "≤ 10 ms et ≤ 3 × sqlite3 brut",
            median(plain["day"]) <= min(10, 3 * median(plain["day_raw"])),
        ),
        Figure(
            "history_ms",
            "4. historique de 200 séances (chiffré)",
            history,
            "ms",
            history_raw,
            "≤ 10 ms",
            history <= 10,
        ),
        Figure(
            "history_plain_ms",
            "4. historique de 200 séances (clair)",
            median(plain["history"]),
            "ms",
            median(plain["history_raw"]),
            "≤ 10 ms",
            median(plain["history"]) <= 10,
        ),
    ]


def start_lines(built: builder.Built, runs: int) -> list[Figure]:
    """Cold start (fresh process, key derivation out) and unlock, encrypted; plain beside."""
    enc_ms, enc_bare, reportlab = fig.cold_start(built.encrypted, builder.PASSPHRASE, runs)
    app_ms, bare_ms, _ = fig.cold_start(built.plain, None, runs)
    unlock_ms, unlock_floor = fig.unlock(built.encrypted, builder.PASSPHRASE, runs)
    out = [
        Figure(
            "cold_start_ms",
            "1. démarrage à froid, fenêtre affichée (chiffré, hors dérivation)",
            enc_ms,
            "ms",
            enc_bare,
            "≤ 1,3 × fenêtre nue",
            enc_ms <= 1.3 * enc_bare,
        ),
        floor_figure("bare_window_ms", "1. fenêtre PySide6 nue, processus neuf", enc_bare, "ms"),
        Figure(
            "venv_cold_start_ms",
            "1. démarrage à froid, fenêtre affichée (clair)",
            app_ms,
            "ms",
            bare_ms,
            "≤ 1,3 × fenêtre nue",
            app_ms <= 1.3 * bare_ms,
        ),
        Figure(
            "reportlab_at_start",
            "1. reportlab absent au démarrage",
            1.0 if reportlab else 0.0,
            "",
            None,
            "absent",
            not reportlab,
        ),
        Figure(
            "unlock_ms",
            "1. déverrouillage → fenêtre principale peinte (hors dérivation)",
            unlock_ms,
            "ms",
            unlock_floor,
            "≤ 300 ms",
            unlock_ms <= 300,
        ),
    ]
    if bundle.BUNDLE.is_file():  # after `make dist`: the bundle beside the venv, same command
        bundle_ms, venv_ms = bundle.cold_start(built.encrypted, builder.PASSPHRASE, runs)
        out.append(
            Figure(
                "bundle_cold_start_ms",
                "1. démarrage à froid du paquet dist/mesodesk (selftest, chiffré)",
                bundle_ms,
                "ms",
                venv_ms,
                "≤ 1,2 × le même dans le venv",
                bundle_ms <= 1.2 * venv_ms,
            )
        )
    return out


def window_lines(built: builder.Built, day: date, quick: bool) -> list[Figure]:
    """In the window, on the encrypted base: keystroke, patient file, PDFs, maps, backup."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    services = _services(built.encrypted, builder.PASSPHRASE)
    try:
        cipher = services.opened.cipher.literal if services.opened.cipher else None
        widget, paint_floor = fig.search_widget(services)
        opened = apps.file_open(services, built.history_patient, 2, 7 if quick else 15)
        opened_floor = timed(fig.raw_history(built.encrypted, cipher, built.history_patient), 15)
        pdf = timed(fig.prescription_pdf(services), 20)
        bare_pdf = timed(fig.bare_page, 20)
        register = timed(fig.register_pdf(services, day), 5)
        out = [
            Figure(
                "keystroke_p90",
                "2. frappe → lignes affichées, p90 (chiffré)",
                p90(widget),
                "ms",
                p90(paint_floor),
                "≤ 16 ms",
                p90(widget) <= 16,
            ),
            Figure(
                "file_open_ms",
                "2. dossier patient de 200 séances, tous onglets remplis : ouverture",
                median(opened),
                "ms",
                median(opened_floor),
                "≤ 50 ms",
                median(opened) <= 50,
            ),
            Figure(
                "ordonnance_ms",
                "5. ordonnance PDF (après chauffe)",
                median(pdf),
                "ms",
                median(bare_pdf),
                "≤ 20 ms",
                median(pdf) <= 20,
            ),
            Figure(
                "register_ms",
                "5. registre d'une journée de 60 séances",
                median(register),
                "ms",
                median(bare_pdf),
                "≤ 300 ms",
                median(register) <= 300,
            ),
        ]
        out += map_figures(services)  # issue 17: maps and overlays
        seconds, gap = fig.backup_responsiveness(services)
        out += [
            Figure(
                "backup_s",
                "6. sauvegarde et vérification de toute la base (chiffrée)",
                seconds,
                "s",
                None,
                "≤ 3 s",
                seconds <= 3,
            ),
            Figure(
                "loop_gap_ms",
                "6. plus long blanc de la boucle d'événements pendant ce temps",
                gap,
                "ms",
                5.0,
                "≤ 50 ms",
                gap <= 50,
            ),
        ]
        del app
    finally:
        services.close()
    return out


def save_lines(built: builder.Built, repeat: int) -> list[Figure]:
    saved, raw = apps.both_saves(
        built.encrypted, builder.PASSPHRASE, ROOT / "bench" / "cache" / "travail", repeat
    )
    return [
        Figure(
            "session_save_p90",
            "2. séance enregistrée (3 produits, 2 techniques, audit, disque), p90",
            p90(saved),
            "ms",
            p90(raw),
            "≤ 30 ms",
            p90(saved) <= 30,
        ),
        floor_figure(
            "session_save_raw_p90",
            "2. séance : les mêmes lignes, sqlite3 brut, mêmes pragmas, p90",
            p90(raw),
            "ms",
        ),
    ]


def growth_lines(built: builder.Built, small: builder.Built, big_p90: float) -> list[Figure]:
    services = _services(small.encrypted, builder.PASSPHRASE)
    try:
        small_p90 = p90(fig.search_service(services))
    finally:
        services.close()
    return [
        Figure(
            "search_p90_10k",
            "2. recherche patient p90, cabinet de 10 000 patients (chiffré)",
            small_p90,
            "ms",
            None,
            "≤ 5 ms",
            small_p90 <= 5,
        ),
        Figure(
            "search_growth",
            "2. croissance : recherche p90 à 100 000 patients / à 10 000",
            big_p90,
            "ms",
            small_p90,
            "≤ 1,5 × à 10 000",
            big_p90 <= 1.5 * small_p90,
        ),
    ]


def end_lines(built: builder.Built) -> list[Figure]:
    rss, bare_rss = fig.memory(built.encrypted, builder.PASSPHRASE)
    out = [
        Figure(
            "rss_mib",
            "7. mémoire (RSS) : base chiffrée ouverte et recherche faite",
            rss,
            "Mio",
            bare_rss,
            "≤ 1,5 × fenêtre nue",
            rss <= 1.5 * bare_rss,
        ),
        floor_figure("bare_rss_mib", "7. mémoire (RSS) d'une fenêtre PySide6 nue", bare_rss, "Mio"),
    ]
    if BDPM_FULL.is_dir():
        seconds, floor = fig.bdpm_import(BDPM_FULL)
        out.append(
            Figure(
                "bdpm_s",
                "8. import BDPM complète (15 676 médicaments)",
                seconds,
                "s",
                floor,
                "≤ 20 s",
                seconds <= 20,
            )
        )
    return out


def run(seed: int, quick: bool) -> list[Figure]:
    runs = 3 if quick else 5
    started = time.perf_counter()
    today = date.today()
    cache = ROOT / "bench" / "cache"
    built = builder.build(cache, seed, today)
    small = builder.build(cache, seed, today, builder.TENTH)
    figures = [
        Figure(
            "build_s",
            "0. base synthétique : construction" + (" (en cache)" if built.cached else ""),
            built.seconds,
            "s",
            None,
            "< 10 min en tout",
            built.seconds < 600,
        ),
        Figure(
            "base_mib",
            "0. base synthétique : taille",
            built.size_bytes / 2**20,
            "Mio",
            None,
            "—",
            True,
        ),
        Figure(
            "build_10k_s",
            "0. cabinet de 10 000 patients : construction"
            + (" (en cache)" if small.cached else ""),
            small.seconds,
            "s",
            None,
            "—",
            True,
        ),
    ]
    figures += start_lines(built, runs)
    plain = service_figures(built.plain, None, built.big_day, "clair")
    encrypted = service_figures(built.encrypted, builder.PASSPHRASE, built.big_day, "chiffré")
    figures += search_lines(encrypted, plain)
    figures += growth_lines(built, small, p90(encrypted["search"]))
    figures += check_lines(audited(cache, seed, today, builder.TENTH), builder.TENTH, runs=3)
    figures += read_lines(encrypted, plain)
    figures += window_lines(built, built.big_day, quick)
    figures += save_lines(built, 20 if quick else 40)
    figures += end_lines(built)
    sqlite = {
        "search_p90": p90(encrypted["search"]),
        "day_ms": median(encrypted["day"]),
        "history_ms": median(encrypted["history"]),
    }  # 12. the practice server, beside these
    figures += server_figures(built.plain, built.big_day, built.history_patient, sqlite, quick)
    figures += photo_figures(quick)  # 10. photos, beside Pillow decoding the same files
    if photo_budget.gib_wanted() > 0:  # 11. issue 18's budget: the base with 5 GiB of photos
        figures += photo_budget.budget_figures(
            built.encrypted, builder.PASSPHRASE, built.history_patient, cache / "travail", quick
        )
    elapsed = time.perf_counter() - started
    figures.append(
        Figure("bench_s", "durée totale du banc", elapsed, "s", None, "< 10 min", elapsed < 600)
    )
    return figures


def table(figures: list[Figure]) -> str:
    lines = [
        f"{'clé':<24} {'mesure':<70} {'valeur':>10} {'plancher':>9} {'ratio':>7}  "
        f"{'cible':<28} tenue",
        "-" * 162,
    ]
    for f in figures:
        floor = f"{f.floor:.2f}" if f.floor is not None else "—"
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
        lines.append(
            f"{f.key:<24} {f.name:<70} {f.value:>8.2f} {f.unit:<3}{floor:>8} {ratio:>7}  "
            f"{f.target:<28} {'oui' if f.met else 'NON'}"
        )
    return "\n".join(lines)


README_START = "<!-- make bench : début du tableau (réécrit à chaque passage) -->"
README_END = "<!-- make bench : fin du tableau -->"


def write_readme(readme: Path, text: str) -> bool:
    """Put the last run's table between the README's markers; False when they are missing."""
    content = readme.read_text(encoding="utf-8")
    start, end = content.find(README_START), content.find(README_END)
    if start < 0 or end < start:
        return False
    block = f"{README_START}\n```\n{text}\n```\n"
    readme.write_text(content[:start] + block + content[end:], encoding="utf-8")
    return True


def results(figures: list[Figure]) -> dict[str, Any]:
    keys = [f.key for f in figures]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates or not all(k.isascii() and k.isidentifier() for k in keys):
        raise ValueError(f"bench keys must be unique ASCII identifiers: {sorted(duplicates)}")
    return {
        "machine": machine(),
        "date": date.today().isoformat(),
        "figures": [
            {
                "key": f.key,
                "name": f.name,
                "value": round(f.value, 3),
                "unit": f.unit,
                "floor": round(f.floor, 3) if f.floor is not None else None,
                "ratio": round(f.ratio, 3) if f.ratio is not None else None,
                "target": f.target,
                "met": f.met,
            }
            for f in figures
        ],
    }


def machine() -> str:
    """What ran the bench, with the load it shared the machine with (a loaded machine
    inflates every time; ratios to floors of the same run hold better)."""
    load = " / ".join(f"{x:.1f}".replace(".", ",") for x in os.getloadavg())
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cœurs, Python "
        f"{platform.python_version()}, charge moyenne (1, 5, 15 min) {load}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="moins de répétitions")
    parser.add_argument(
        "--check-only",
        action="store_true",
        help="seulement `check` (lignes 9.), sur une base de --patients patients ; "
        "n'écrit ni results.json ni le README",
    )
    parser.add_argument(
        "--patients", type=int, default=builder.TENTH.patients, help="avec --check-only"
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.check_only:
        n = max(100, args.patients)
        scale = builder.Scale(n, n * 5 // 2, n // 5)
        path = audited(ROOT / "bench" / "cache", args.seed, date.today(), scale)
        print(f"Machine : {machine()}\n{table(check_lines(path, scale, 3))}")
        return 0
    figures = run(args.seed, args.quick)
    text = f"Machine : {machine()}\n{table(figures)}"
    print(text)
    out = ROOT / "bench" / "results.json"
    out.write_text(
        json.dumps(results(figures), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (ROOT / "bench" / "results.txt").write_text(text + "\n", encoding="utf-8")
    if not write_readme(ROOT / "README.md", text):
        print("README.md : marqueurs du tableau absents, tableau non recopié", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
