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

from bench import build as builder
from bench import bundle
from bench import figures as fig
from bench.figures import Figure, median, p90, timed
from bench.maps import map_figures
from bench.photos import photo_figures

ROOT = Path(__file__).resolve().parent.parent
BDPM_FULL = ROOT.parent / "shared" / "data" / "bdpm" / "full"


def _services(path: Path, passphrase: str | None) -> Any:
    from mesodesk.services import open_services

    return open_services(path, passphrase=passphrase)


def service_figures(
    path: Path, passphrase: str | None, day: date, label: str, figures: list[Figure]
) -> dict[str, float]:
    """Figures 2 to 4 (search, day, history) on one database, plain or encrypted."""
    services = _services(path, passphrase)
    try:
        cipher = services.opened.cipher.literal if services.opened.cipher else None
        search = fig.search_service(services)
        day_ms = timed(lambda: services.sessions.for_day(day), 15)
        raw_day = timed(fig.raw_day(path, cipher, day), 15)
        history = timed(lambda: services.sessions.for_patient(1), 15)
        raw_history = timed(fig.raw_history(path, cipher, 1), 15)
        sessions_in_day = len(services.sessions.for_day(day))
    finally:
        services.close()
    figures += [
        Figure(
            f"2. recherche patient, service, p90 ({label})",
            p90(search),
            "ms",
            None,
            "≤ 5 ms",
            p90(search) <= 5,
        ),
        Figure(
            f"2. recherche patient, service, pire cas ({label})",
            max(search),
            "ms",
            None,
            "≤ 10 ms",
            max(search) <= 10,
        ),
        Figure(
            f"3. journée de {sessions_in_day} séances, service ({label})",
            median(day_ms),
            "ms",
            median(raw_day),
            "≤ 10 ms et ≤ 3 × sqlite3 brut",
            median(day_ms) <= 10 and median(day_ms) <= 3 * median(raw_day),
        ),
        Figure(
            f"4. historique de 200 séances ({label})",
            median(history),
            "ms",
            median(raw_history),
            "≤ 10 ms",
            median(history) <= 10,
        ),
    ]
    return {"search_p90": p90(search), "day": median(day_ms), "history": median(history)}


def run(seed: int, quick: bool) -> list[Figure]:
    figures: list[Figure] = []
    runs = 3 if quick else 5
    started = time.perf_counter()
    built = builder.build(ROOT / "bench" / "cache", seed, date.today())
    figures.append(
        Figure(
            "0. base synthétique : construction" + (" (en cache)" if built.cached else ""),
            built.seconds,
            "s",
            None,
            "< 10 min en tout",
            built.seconds < 600,
        )
    )
    figures.append(
        Figure("0. base synthétique : taille", built.size_bytes / 2**20, "Mio", None, "—", True)
    )
    day = built.big_day
    # 1. Cold start (fresh process), plain then encrypted (key derivation taken out).
    app_ms, bare_ms, reportlab = fig.cold_start(built.plain, None, runs)
    figures.append(
        Figure(
            "1. démarrage à froid, fenêtre affichée (clair)",
            app_ms,
            "ms",
            bare_ms,
            "≤ 1,3 × fenêtre nue",
            app_ms <= 1.3 * bare_ms,
            key="venv_cold_start_ms",
        )
    )
    figures.append(
        Figure(
            "1. reportlab absent au démarrage",
            0.0 if not reportlab else 1.0,
            "",
            None,
            "absent",
            not reportlab,
        )
    )
    enc_ms, enc_bare, _ = fig.cold_start(built.encrypted, builder.PASSPHRASE, runs)
    figures.append(
        Figure(
            "9. démarrage à froid (chiffré, hors dérivation)",
            enc_ms,
            "ms",
            enc_bare,
            "≤ 1,3 × fenêtre nue",
            enc_ms <= 1.3 * enc_bare,
        )
    )
    if bundle.BUNDLE.is_file():  # after `make dist`: the bundle beside the venv, same command
        bundle_ms, venv_ms = bundle.cold_start(built.encrypted, builder.PASSPHRASE, runs)
        figures.append(
            Figure(
                "1. démarrage à froid du paquet dist/mesodesk (selftest, chiffré)",
                bundle_ms,
                "ms",
                venv_ms,
                "≤ 1,2 × le même dans le venv",
                bundle_ms <= 1.2 * venv_ms,
                key="bundle_cold_start_ms",
            )
        )
    plain = service_figures(built.plain, None, day, "clair", figures)
    encrypted = service_figures(built.encrypted, builder.PASSPHRASE, day, "chiffré", figures)
    for key, name in (
        ("search_p90", "recherche p90"),
        ("day", "journée"),
        ("history", "historique"),
    ):
        figures.append(
            Figure(
                f"9. surcoût du chiffrement : {name}",
                encrypted[key],
                "ms",
                plain[key],
                "< 1,10 × clair",
                encrypted[key] < 1.10 * plain[key],
            )
        )
    services = _services(built.plain, None)
    try:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(sys.argv[:1])
        widget, paint_floor = fig.search_widget(services)
        figures.append(
            Figure(
                "2. frappe → lignes affichées, p90",
                p90(widget),
                "ms",
                p90(paint_floor),
                "≤ 16 ms",
                p90(widget) <= 16,
            )
        )
        pdf = timed(fig.prescription_pdf(services), 20)
        bare_pdf = timed(fig.bare_page, 20)
        figures.append(
            Figure(
                "5. ordonnance PDF (après chauffe)",
                median(pdf),
                "ms",
                median(bare_pdf),
                "≤ 20 ms",
                median(pdf) <= 20,
            )
        )
        register = timed(fig.register_pdf(services, day), 5)
        figures.append(
            Figure(
                "5. registre d'une journée de 60 séances",
                median(register),
                "ms",
                median(bare_pdf),
                "≤ 300 ms",
                median(register) <= 300,
            )
        )
        figures += map_figures(services)  # issue 17: maps and overlays
        seconds, gap = fig.backup_responsiveness(services)
        figures.append(
            Figure(
                "6. sauvegarde et vérification de toute la base",
                seconds,
                "s",
                None,
                "≤ 3 s",
                seconds <= 3,
            )
        )
        figures.append(
            Figure(
                "6. plus long blanc de la boucle d'événements pendant ce temps",
                gap,
                "ms",
                5.0,
                "≤ 50 ms",
                gap <= 50,
            )
        )
        del app
    finally:
        services.close()
    rss, bare_rss = fig.memory(built.plain)
    figures.append(
        Figure(
            "7. mémoire (RSS) : base ouverte et recherche faite",
            rss,
            "Mio",
            bare_rss,
            "≤ 1,5 × fenêtre nue",
            rss <= 1.5 * bare_rss,
        )
    )
    if BDPM_FULL.is_dir():
        seconds, floor = fig.bdpm_import(BDPM_FULL)
        figures.append(
            Figure(
                "8. import BDPM complète (15 676 médicaments)",
                seconds,
                "s",
                floor,
                "≤ 20 s",
                seconds <= 20,
            )
        )
    figures += photo_figures(quick)  # 10. photos, beside Pillow decoding the same files
    figures.append(
        Figure(
            "durée totale du banc",
            time.perf_counter() - started,
            "s",
            None,
            "< 10 min",
            time.perf_counter() - started < 600,
        )
    )
    return figures


def table(figures: list[Figure]) -> str:
    lines = [
        f"{'mesure':<64} {'valeur':>10} {'plancher':>10} {'ratio':>7}  {'cible':<28} tenue",
        "-" * 130,
    ]
    for f in figures:
        floor = f"{f.floor:.2f}" if f.floor is not None else "—"
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
        lines.append(
            f"{f.name:<64} {f.value:>8.2f} {f.unit:<2}{floor:>9} {ratio:>7}  "
            f"{f.target:<28} {'oui' if f.met else 'NON'}"
        )
    return "\n".join(lines)


def machine() -> str:
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cœurs, Python "
        f"{platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="moins de répétitions")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    figures = run(args.seed, args.quick)
    text = table(figures)
    print(f"Machine : {machine()}\n{text}")
    out = ROOT / "bench" / "results.json"
    out.write_text(
        json.dumps(
            {
                "machine": machine(),
                "date": date.today().isoformat(),
                "figures": [
                    {
                        "name": f.name,
                        "value": round(f.value, 3),
                        "unit": f.unit,
                        "floor": round(f.floor, 3) if f.floor is not None else None,
                        "ratio": round(f.ratio, 3) if f.ratio is not None else None,
                        "target": f.target,
                        "met": f.met,
                        **({"key": f.key} if f.key else {}),
                    }
                    for f in figures
                ],
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    (ROOT / "bench" / "results.txt").write_text(
        f"Machine : {machine()}\n{text}\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
