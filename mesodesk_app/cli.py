"""Entry point: the `mesodesk` command line and entry point (opens the window with no command)."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from db.connection import DATABASE_ERRORS
from db.server import ServerAddress, ServerAddressError
from mesodesk import __version__, civility, config, errors, logs, serialize
from mesodesk.hardening import take_secret
from mesodesk.money import euros
from mesodesk.services import (
    AlreadyOpenError,
    DatabaseOpenError,
    DataFolderError,
    NotFoundError,
    ServerLinkError,
    Services,
    open_services,
)
from mesodesk.services.conflicts import ConflictError
from mesodesk.validation import ValidationError
from mesodesk_app import argparse_fr
from mesodesk_app.argparse_fr import FrenchArgumentParser
from mesodesk_app.commands import GROUPS
from mesodesk_app.commands import server as server_commands
from mesodesk_app.commands.common import CommandError, iso_date, print_json, write_file
from mesodesk_app.commands.sessions import add_eva_parser, patient_eva

_iso_date = iso_date
_JSON = "sortie JSON (pour un tableur ou un script)"


def _build_parser() -> argparse.ArgumentParser:
    argparse_fr.install()
    parser = FrenchArgumentParser(
        prog="mesodesk",
        description="Dossiers patients et registre des séances de mésothérapie. "
        "Sans commande : ouvre la fenêtre.",
        add_help=True,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"mesodesk {__version__}",
        help="affiche la version et quitte",
    )
    parser.add_argument(
        "--db",
        metavar="BASE",
        help="fichier de la base, ou adresse postgresql://utilisateur@hôte:port/base du serveur "
        "du cabinet (sinon MESODESK_DB, sinon le dossier de données de l'utilisateur)",
    )
    sub = parser.add_subparsers(
        dest="command", metavar="commande", parser_class=FrenchArgumentParser
    )

    demo = sub.add_parser("demo", help="remplit une base vide avec des données fictives")
    demo.add_argument("--patients", type=int, default=200, metavar="N", help="patients (200)")
    demo.add_argument("--days", type=int, default=30, metavar="N", help="jours de séances (30)")
    demo.add_argument("--seed", type=int, default=1, metavar="N", help="graine du tirage (1)")
    demo.add_argument("--per-day", type=int, default=10, metavar="N", help="séances par jour (10)")

    patients = sub.add_parser("patients", help="rechercher et afficher les patients")
    psub = patients.add_subparsers(dest="action", required=True, parser_class=FrenchArgumentParser)
    search = psub.add_parser("search", help="recherche par nom (préfixe, sans accents)")
    search.add_argument("text", nargs="?", default="", metavar="texte", help="début du nom")
    search.add_argument("--json", action="store_true", help=_JSON)
    search.add_argument("--archived", action="store_true", help="inclure les dossiers archivés")
    show = psub.add_parser("show", help="le dossier d'un patient avec ses séances")
    show.add_argument("id", type=int, metavar="numéro", help="numéro du dossier")
    show.add_argument("--json", action="store_true", help=_JSON)
    export = psub.add_parser("export", help="copie du dossier pour le patient (PDF et JSON)")
    export.add_argument("id", type=int, metavar="numéro", help="numéro du dossier")
    export.add_argument(
        "-o", "--output", required=True, metavar="DOSSIER", help="dossier où écrire les fichiers"
    )
    add_eva_parser(psub)

    prescriptions = sub.add_parser("prescriptions", help="les ordonnances")
    rsub = prescriptions.add_subparsers(
        dest="action", required=True, parser_class=FrenchArgumentParser
    )
    listing = rsub.add_parser("list", help="liste des ordonnances")
    listing.add_argument("--patient", type=int, metavar="NUMÉRO", help="d'un seul patient")
    listing.add_argument("--json", action="store_true", help=_JSON)
    issue = rsub.add_parser("issue", help="émet une ordonnance préparée (elle est alors figée)")
    issue.add_argument("id", type=int, metavar="numéro", help="numéro de l'ordonnance")
    pdf = rsub.add_parser("pdf", help="écrit le PDF d'une ordonnance émise (duplicata ensuite)")
    pdf.add_argument("id", type=int, metavar="numéro", help="numéro de l'ordonnance")
    pdf.add_argument("-o", "--output", required=True, metavar="FICHIER", help="PDF à écrire")

    day = sub.add_parser("day", help="la revue de fin de journée")
    dsub = day.add_subparsers(dest="action", required=True, parser_class=FrenchArgumentParser)
    show_day = dsub.add_parser("show", help="les séances, problèmes et totaux d'un jour")
    show_day.add_argument("date", nargs="?", type=_iso_date, help="AAAA-MM-JJ (aujourd'hui)")
    show_day.add_argument("--json", action="store_true", help=_JSON)
    pdf_day = dsub.add_parser("pdf", help="le registre du jour en PDF")
    pdf_day.add_argument("date", nargs="?", type=_iso_date, help="AAAA-MM-JJ (aujourd'hui)")
    pdf_day.add_argument("-o", "--output", required=True, metavar="FICHIER", help="PDF à écrire")
    close_day = dsub.add_parser("close", help="clôture la journée (refusé si un problème bloque)")
    close_day.add_argument("date", nargs="?", type=_iso_date, help="AAAA-MM-JJ (aujourd'hui)")

    drugs = sub.add_parser("drugs", help="la base publique des médicaments (BDPM)")
    gsub = drugs.add_subparsers(dest="action", required=True, parser_class=FrenchArgumentParser)
    imp = gsub.add_parser("import-bdpm", help="importe un dossier de fichiers BDPM de l'ANSM")
    imp.add_argument("folder", metavar="dossier", help="dossier des fichiers téléchargés")
    imp.add_argument(
        "--accept-withdrawals",
        action="store_true",
        help="accepte qu'un import marque plus d'un dixième de la référence comme retiré",
    )
    look = gsub.add_parser("search", help="recherche par nom ou principe actif")
    look.add_argument("text", metavar="texte", help="nom ou principe actif")
    look.add_argument("--injectable", action="store_true", help="injectables seulement")
    look.add_argument("--json", action="store_true", help=_JSON)

    backup = sub.add_parser("backup", help="sauvegarde chiffrée et vérifiée de la base")
    backup.add_argument(
        "--to", metavar="DOSSIER", help="dossier de sauvegarde (sinon celui des réglages)"
    )
    restore = sub.add_parser(
        "restore",
        help="restaure une sauvegarde (la base actuelle est mise de côté, jamais détruite)",
    )
    restore.add_argument("file", metavar="fichier", help="la sauvegarde à restaurer")
    sub.add_parser(
        "passphrase", help="change la phrase de passe (MESODESK_NEW_PASSPHRASE ou saisie)"
    )
    sub.add_parser(
        "check", help="vérifie l'intégrité de la base, du chiffrement et la chaîne d'audit"
    )
    for group in GROUPS:
        group.add_parsers(sub)
    return parser


def _cmd_demo(services: Services, args: argparse.Namespace) -> int:
    from mesodesk.demo import DemoRefusedError, fill_demo

    for name in ("patients", "days", "per_day"):
        if getattr(args, name) < 1:
            raise CommandError(f"--{name.replace('_', '-')} : un entier positif est attendu.")
    # A scripted demo practice: accounts `demo` and `secretariat`, one password for both.
    password = _SECRETS.get(ENV_PASSWORD) or _passphrase()
    try:
        summary = fill_demo(
            services, args.patients, args.days, args.seed, args.per_day, accounts_password=password
        )
    except DemoRefusedError as exc:
        raise CommandError(str(exc)) from exc
    print(
        f"Démonstration : {summary.patients} patients, {summary.sessions} séances, "
        f"{summary.prescriptions} ordonnances dans {services.location}."
    )
    return 0


_print_json = print_json


def _cmd_patients(services: Services, args: argparse.Namespace) -> int:
    if args.action == "export":
        return _export_patient(services, args.id, Path(args.output).expanduser())
    if args.action == "eva":
        return patient_eva(services, args)
    if args.action == "search":
        found = services.patients.search(args.text, include_archived=args.archived, limit=10**9)
        if args.json:
            _print_json([serialize.patient_summary(s) for s in found])
        else:
            for s in found:
                print(
                    f"{s.id:>6}  {s.last_name.upper()} {s.first_name}  "
                    f"{civility.born(s.sex)} le {s.birth_date:%d/%m/%Y}"
                )
            print(f"{len(found)} patient(s).")
        return 0
    record = services.patients.get(args.id)
    sessions = services.sessions.for_patient(args.id)
    if args.json:
        _print_json(
            {**serialize.patient(record), "sessions": [serialize.session(s) for s in sessions]}
        )
        return 0
    d = record.draft
    print(
        f"{record.full_name} — {d.sex.label if d.sex else ''}, "
        f"{civility.born(d.sex)} le {d.birth_date:%d/%m/%Y}"
        if d.birth_date
        else record.full_name
    )
    if d.allergies:
        print("Allergies : " + ", ".join(d.allergies))
    for session in sessions:
        sd = session.draft
        products = ", ".join(f"{p.product_name} (lot {p.lot})" for p in sd.products)
        print(f"  {sd.performed_at:%d/%m/%Y %H:%M}  {sd.indication}  {products}")
    print(f"{len(sessions)} séance(s).")
    return 0


def _cmd_prescriptions(services: Services, args: argparse.Namespace) -> int:
    if args.action == "list":
        found = services.prescriptions.search(args.patient)
        if args.json:
            _print_json([serialize.prescription(p) for p in found])
        else:
            for p in found:
                state = "émise" if p.issued else "préparée"
                print(
                    f"{p.id:>6}  {p.draft.prescribed_on:%d/%m/%Y}  patient {p.draft.patient_id}"
                    f"  {state}  {len(p.draft.lines)} ligne(s)"
                )
            print(f"{len(found)} ordonnance(s).")
        return 0
    if args.action == "issue":
        document = services.prescriptions.issue(args.id)
        print(f"Ordonnance n° {document.id} émise le {document.issued_at:%d/%m/%Y à %H:%M}.")
        return 0
    return _write_prescription_pdf(services, args.id, Path(args.output))


def _write_prescription_pdf(services: Services, prescription_id: int, output: Path) -> int:
    from reports.prescription import render

    record = services.prescriptions.get(prescription_id)
    if not record.issued:
        raise CommandError(
            f"L'ordonnance n° {prescription_id} n'est pas émise : "
            "émettez-la d'abord (mesodesk prescriptions issue)."
        )
    if not output.parent.is_dir():
        raise CommandError(f"Dossier introuvable : {output.parent}.")
    printed = services.prescriptions.record_print(prescription_id)
    data = render(printed.document, duplicate_on=printed.printed_on if printed.duplicate else None)
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise CommandError(f"Écriture impossible de {output} : {exc.strerror}.") from exc
    kind = "duplicata" if printed.duplicate else "original"
    print(f"Ordonnance n° {prescription_id} ({kind}) écrite dans {output}.")
    return 0


_write = write_file


def _cmd_day(services: Services, args: argparse.Namespace) -> int:
    from mesodesk.services.day import DayNotClosableError

    day = args.date or date.today()
    if args.action == "show":
        review = services.day.review(day)
        if args.json:
            _print_json(serialize.day_review(review))
        else:
            _print_day(review)
        return 0
    if args.action == "pdf":
        from reports.day_register import render

        _write(Path(args.output), render(services.day.register(day)))
        print(f"Registre du {day:%d/%m/%Y} écrit dans {args.output}.")
        return 0
    try:
        review = services.day.close(day)
    except DayNotClosableError as exc:
        print(f"mesodesk : {exc}", file=sys.stderr)
        return 1
    print(f"Journée du {day:%d/%m/%Y} clôturée : {len(review.sessions)} séance(s).")
    head = services.backups.anchor.record()
    if head is not None:
        print(f"Empreinte de la chaîne d'audit à la clôture : {head.short} (à conserver).")
    return 0


def _purpose(s: Any) -> str:
    return str(s.draft.purpose.label) if s.draft.purpose else ""


def _print_day(review: Any) -> None:
    print(f"Journée du {review.day:%d/%m/%Y} — {'clôturée' if review.closed else 'ouverte'}")
    for s in review.sessions:
        patient = review.patients[s.draft.patient_id]
        print(
            f"  {s.draft.performed_at:%H:%M}  n° {s.id}  {patient.last_name.upper()} "
            f"{patient.first_name}  {s.draft.indication}  {_purpose(s)}  {s.draft.status.label}"
        )
    for p in review.problems:
        kind = "BLOQUANT" if p.blocking else ("pris en compte" if p.acknowledged else "à voir")
        print(f"  [{kind}] séance n° {p.session_id} : {p.message}")
    t = review.totals
    print(
        f"{t.sessions} séance(s), {t.patients} patient(s), honoraires des séances complètes "
        f"{euros(t.fees_total_cents)}, encaissé ce jour {euros(t.cashed_total_cents)}"
    )


def _cmd_drugs(services: Services, args: argparse.Namespace) -> int:
    from mesodesk.services.reference import ImportFolderError

    if args.action == "import-bdpm":
        try:
            report = services.reference.import_folder(
                Path(args.folder).expanduser(), accept_withdrawals=args.accept_withdrawals
            )
        except ImportFolderError as exc:
            raise CommandError(str(exc)) from exc
        print("\n".join(report.lines()))
        return 0
    found = services.reference.search(args.text, injectable_only=args.injectable)
    if args.json:
        _print_json(
            [
                {
                    "cis": d.cis,
                    "name": d.name,
                    "form": d.form,
                    "routes": list(d.routes),
                    "substances": d.active_names,
                    "injectable": d.injectable,
                    "corticoid": d.corticoid,
                    "marketed": d.marketed,
                    "withdrawn": d.withdrawn,
                }
                for d in found
            ]
        )
        return 0
    for d in found:
        marks = [
            m
            for m, on in (
                ("injectable", d.injectable),
                ("corticoïde", d.corticoid),
                ("non commercialisé", not d.marketed),
                ("retiré", d.withdrawn),
            )
            if on
        ]
        print(
            f"{d.cis}  {d.name}  [{', '.join(d.active_names)}]"
            + (f"  ({', '.join(marks)})" if marks else "")
        )
    print(f"{len(found)} médicament(s).")
    return 0


def _export_patient(services: Services, patient_id: int, folder: Path) -> int:
    from mesodesk.patient_export import export_json
    from mesodesk.photo_export import write_photo_files
    from reports.patient_file import render

    export = services.export.patient_file(patient_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"Dossier inutilisable : {folder} ({errors.french(exc)}).") from exc
    stem = f"dossier-{patient_id}-{export.exported_at:%Y%m%d}"
    _write(folder / f"{stem}.json", export_json(export))
    _write(folder / f"{stem}.pdf", render(export))
    photos = write_photo_files(export.photos, folder)
    print(
        f"Dossier n° {patient_id} exporté : {folder / stem}.pdf et .json "
        f"({len(export.sessions)} séance(s), {len(photos)} photo(s))."
    )
    return 0


def _cmd_check(services: Services, args: argparse.Namespace) -> int:
    report = services.backups.check()
    if report.integrity is not None:
        raise CommandError(f"Intégrité de la base : ÉCHEC ({report.integrity}).")
    if report.audit_problem:
        raise CommandError(f"Chaîne d'audit rompue : {report.audit_problem}.")
    for problem in report.tamper:
        print(f"mesodesk : altération : {problem}.", file=sys.stderr)
    if report.tamper:
        return 1
    if services.on_server:
        print(
            f"Base du serveur {services.location} : lisible. Chaîne d'audit : "
            f"{report.audit_events} événements, intacte ; enregistrements conformes à ce "
            "qu'elle dit."
        )
        return _check_photos(services)
    cipher = "chiffrement vérifié" if services.security.encrypted else "base non chiffrée"
    head = services.backups.anchor.record()
    print(
        f"Intégrité de la base : ok ({cipher}). Chaîne d'audit : {report.audit_events} "
        "événements, intacte"
        + (
            f", conforme à son empreinte et à celles des sauvegardes ({head.short})."
            if head
            else "."
        )
    )
    return _check_photos(services)


def _check_photos(services: Services) -> int:
    photos = services.photos.verify()
    for problem in photos.problems[1:]:  # the first one ends the report below
        print(f"mesodesk : {problem}.", file=sys.stderr)
    if not photos.ok:
        raise CommandError(
            f"Photos : {len(photos.problems)} en défaut sur {photos.photos} ({photos.problems[0]})."
        )
    print(f"Photos : {photos.photos} vérifiées (empreintes SHA-256 conformes au journal d'audit).")
    return 0


def _cmd_backup(services: Services, args: argparse.Namespace) -> int:
    from mesodesk.services.backup import BackupError

    folder = Path(args.to).expanduser() if args.to else None
    try:
        result = services.backups.backup_now(folder)
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        raise CommandError(f"Sauvegarde impossible : {exc.strerror} ({exc.filename}).") from exc
    removed = f", {len(result.deleted)} ancienne(s) retirée(s)" if result.deleted else ""
    print(f"Sauvegarde vérifiée : {result.path} ({result.size // 1024} Kio){removed}.")
    for notice in result.notices:
        print(f"mesodesk : attention : {notice}.", file=sys.stderr)
    return 0


def _cmd_passphrase(services: Services, args: argparse.Namespace) -> int:
    given = _SECRETS.get(ENV_NEW_PASSPHRASE)
    new = given or _prompt("Nouvelle phrase de passe : ")
    if given is None and new != _prompt("Confirmez : "):
        raise CommandError("Les deux saisies diffèrent ; rien n'a changé.")
    services.security.change_passphrase(_passphrase(), new)
    print("Phrase de passe changée : la base est chiffrée avec la nouvelle.")
    return 0


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {
    "demo": _cmd_demo,
    "patients": _cmd_patients,
    "prescriptions": _cmd_prescriptions,
    "day": _cmd_day,
    "check": _cmd_check,
    "backup": _cmd_backup,
    "drugs": _cmd_drugs,
    "passphrase": _cmd_passphrase,
}
for _group in GROUPS:
    COMMANDS.update(_group.COMMANDS)

ENV_PASSPHRASE = "MESODESK_PASSPHRASE"
ENV_NEW_PASSPHRASE = "MESODESK_NEW_PASSPHRASE"
ENV_USER = "MESODESK_USER"
ENV_PASSWORD = "MESODESK_PASSWORD"
# Read once and removed from the environment, so that no child process inherits them.
_SECRETS: dict[str, str] = {}


def _take_secrets() -> None:
    _SECRETS.clear()
    for name in (ENV_PASSPHRASE, ENV_NEW_PASSPHRASE, ENV_PASSWORD):
        value = take_secret(name)
        if value:
            _SECRETS[name] = value


def _prompt(label: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise CommandError(
            f"Phrase de passe requise : définissez {ENV_PASSPHRASE} ou lancez "
            "la commande dans un terminal."
        )
    return getpass.getpass(label)


def _passphrase() -> str:
    """From MESODESK_PASSPHRASE or typed at a prompt; never from an argument."""
    value = _SECRETS.get(ENV_PASSPHRASE)
    return value if value else _prompt("Phrase de passe : ")


def _log_in(services: Services) -> None:
    """A base of several accounts: who is there (MESODESK_USER, MESODESK_PASSWORD, or asked)."""
    if not services.accounts.needs_login():
        return
    user = os.environ.get(ENV_USER, "").strip()
    if not user:
        if not sys.stdin or not sys.stdin.isatty():
            raise CommandError(
                f"Base à plusieurs comptes : définissez {ENV_USER} et {ENV_PASSWORD}, ou lancez "
                "la commande dans un terminal."
            )
        user = input("Identifiant : ").strip()
    password = _SECRETS.get(ENV_PASSWORD) or _ask_password()
    services.accounts.log_in(user, password)


def _ask_password() -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise CommandError(
            f"Mot de passe requis : définissez {ENV_PASSWORD} ou lancez la commande dans un "
            "terminal."
        )
    return getpass.getpass("Mot de passe : ")


def _restore(db_path: Path, args: argparse.Namespace) -> int:
    from mesodesk.services import restore_backup
    from mesodesk.services.backup import BackupError

    source = Path(args.file).expanduser()
    if not source.is_file():
        raise CommandError(f"Sauvegarde introuvable : {source}.")
    try:
        aside = restore_backup(db_path, source, _passphrase())
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    print(f"Base restaurée depuis {source}. L'ancienne base est conservée dans {aside}.")
    return 0


def _open_window(db_path: Path | ServerAddress) -> int:
    from ui.app import run_app

    return run_app(db_path)


def _open(target: Path | ServerAddress) -> Services:
    """The base named on the command line: a file (passphrase, one process) or the server."""
    if isinstance(target, ServerAddress):
        return open_services(target)
    return open_services(
        target, config.backup_dir_for(target), passphrase=_passphrase(), exclusive=True
    )


def _reader_gone() -> None:
    """The reader (| head) stopped early: not an error of ours. What is still buffered goes to
    the null device, so that the flush at exit does not complain about the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):  # no real stdout: nothing to flush to it
        os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    _take_secrets()
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:
        _reader_gone()
        return 0
    except Exception as exc:
        # A bug of ours: logged with its traceback (no patient data), one French line here.
        task = f"la commande « {args.command} »" if args.command else "l'ouverture de la fenêtre"
        log = logs.record_error(exc, f"command {args.command or 'window'}")
        print(
            f"mesodesk : une erreur inattendue est survenue pendant {task} ; rien de ce qui était "
            f"déjà enregistré n'est perdu. Détail technique : {log or 'journal inaccessible'}.",
            file=sys.stderr,
        )
        return 1


def _run(args: argparse.Namespace) -> int:
    try:
        db_path = config.resolve_db_path(args.db)
    except ServerAddressError as exc:
        logs.record_failure(args.command or "window", exc)
        print(f"mesodesk : {exc}", file=sys.stderr)
        return 1
    if args.command is None:
        return _open_window(db_path)
    try:
        if args.command == "restore":
            if isinstance(db_path, ServerAddress):
                raise CommandError(
                    "La restauration d'une base du serveur du cabinet se fait sur le serveur "
                    "(pg_restore) ; mesodesk restore remplace un fichier de base."
                )
            return _restore(db_path, args)
        if args.command in server_commands.BEFORE_OPENING:
            return server_commands.BEFORE_OPENING[args.command](db_path, args, _passphrase)
        services = _open(db_path)
    except (DatabaseOpenError, AlreadyOpenError, DataFolderError, CommandError) as exc:
        logs.record_failure(args.command, exc)
        print(f"mesodesk : {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    for notice in services.notices:
        print(f"mesodesk : {notice}", file=sys.stderr)
    try:
        _log_in(services)
        return COMMANDS[args.command](services, args)
    except (
        CommandError,
        NotFoundError,
        ValidationError,
        PermissionError,
        ConflictError,
        ServerLinkError,
    ) as exc:
        logs.record_failure(args.command, exc)
        lines = str(exc).splitlines() or [type(exc).__name__]
        print(f"mesodesk : {lines[0]}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        _reader_gone()
        return 0
    except (*DATABASE_ERRORS, OSError) as exc:
        logs.record_failure(args.command, exc)
        print(
            f"mesodesk : erreur de la base {services.location} : {errors.french(exc)}.",
            file=sys.stderr,
        )
        return 1
    finally:
        services.close()
