"""Tests: the practitioner's identity, their VAT and insurance settings, the accounts, the key/
value settings, the document texts and the photos' descriptions — altered directly in an
encrypted base (with its passphrase, outside mesodesk, the audit chain left whole) — are each
found by check in French (exit 1); changed through mesodesk, none is reported."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from db.encryption import key_for
from db.photo_store import folder_for
from mesodesk.accounts import Role
from mesodesk.consent import DocumentKind
from mesodesk.photo_samples import camera_jpeg, draw
from mesodesk.photos import PhotoDraft, PhotoView
from mesodesk.services import Services, open_services
from mesodesk.tax import PracticeSettings, VatRegime
from tests import factories as f
from tests.conftest import FakeClock
from tests.mesodesk.test_retention_purge import FIRST, LATER
from tests.mesodesk.test_tamper_records import Practice as _Copyable
from tests.mesodesk.test_tamper_records import _sql
from tests.mesodesk_app.test_cli import PASSPHRASE, run

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
OTHER_PNG = "X'89504E470D0A1A0A" + "11" * 32 + "'"  # another image of the same size
VAT = "FR40303265045"


def _photo(services: Services, session_id: int, zone: str = "joue", note: str = "") -> int:
    prepared = services.photos.prepare(camera_jpeg(draw("visage", 0.4), datetime(2026, 11, 20)))
    draft = PhotoDraft(session_id, PhotoView.ZONE, date(2026, 11, 20), zone, note)
    return services.photos.add_prepared(draft, prepared, acknowledge_no_consent=True).id


class Identity(_Copyable):
    """An encrypted base whose practitioner has an identity with a signature, VAT settings
    with a stamp, an edited consent text, a photo described, a setting of their own."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "base.sqlite"
        services = open_services(
            self.path, passphrase=PASSPHRASE, now=FakeClock(datetime(2026, 11, 23, 18, 0))
        )
        self.practitioner = services.practitioner.save(f.practitioner(signature_png=PNG)).id
        services.practice.save(
            PracticeSettings(VatRegime.ASSUJETTI, VAT, insurer="MACSF", stamp_png=PNG)
        )
        self.template = services.consent.edit_template(
            DocumentKind.CONSENTEMENT_PHOTOS, "Consentement aux photographies", "Texte revu."
        ).id
        patient = services.patients.register(f.patient()).id
        session = services.sessions.record(f.session(services, patient)).id
        self.photo = _photo(services, session, "genou droit", "avant la 1re séance")
        services.photos.set_max_megapixels(12)
        assert services.backups.check().tamper == ()
        services.close()
        self.key = key_for(self.path, PASSPHRASE)

    def copy(self, folder: Path) -> Path:
        copied = super().copy(folder)
        shutil.copytree(folder_for(self.path), folder_for(copied))  # the photo's files
        return copied


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> Identity:
    return Identity(tmp_path_factory.mktemp("identity"))


# (what an attacker changes, what check must say) — {p}: the practitioner, {t}: the edited
# text, {ph}: the photo.
ALTERATIONS = {
    "rpps": ("UPDATE practitioner SET rpps = '10000000009'", "Praticien n° {p} : n° RPPS diffère"),
    "name": (
        "UPDATE practitioner SET last_name = 'Autre', first_name = 'Nom'",
        "Praticien n° {p} : prénom, nom diffère",
    ),
    "qualifications": (
        "UPDATE practitioner SET qualifications = 'Chirurgien esthétique'",
        "Praticien n° {p} : qualifications (nombre de lignes) diffère",
    ),
    "signature": (
        f"UPDATE practitioner SET signature_png = {OTHER_PNG}",
        "Praticien n° {p} : signature diffère",
    ),
    "vat": (
        "UPDATE practice_settings SET vat_regime = 'franchise', vat_number = ''",
        "Fiche de réglages (TVA, assurance) n° 1 : n° de TVA, régime de TVA diffère",
    ),
    "stamp": (
        f"UPDATE practice_settings SET stamp_png = {OTHER_PNG}",
        "Fiche de réglages (TVA, assurance) n° 1 : tampon diffère",
    ),
    "settings_moved": (
        "UPDATE practice_settings SET practitioner_id = NULL",
        "Fiche de réglages (TVA, assurance) n° 1 : praticien diffère",
    ),
    "account": ("UPDATE account SET name = 'Autre Nom'", "Compte n° 1 : nom diffère"),
    "template_text": (
        "UPDATE document_template SET body = 'Autre texte.' WHERE id = {t}",
        "Modèle de document n° {t} : texte diffère",
    ),
    "template_deleted": (
        "DELETE FROM document_template WHERE id = {t}",
        "Modèle de document n° {t} : supprimé hors de mesodesk",
    ),
    "photo_caption_zone": (
        "UPDATE photo SET note = 'Autre', zone = 'genou gauche' WHERE id = {ph}",
        "Photo n° {ph} : note, zone diffère",
    ),
    "photo_view_date": (
        "UPDATE photo SET view = 'visage-face', taken_on = '2026-01-02' WHERE id = {ph}",
        "Photo n° {ph} : date de prise, vue diffère",
    ),
    "setting_changed": (
        "UPDATE setting SET value = '100' WHERE key = 'photos.max_megapixels'",
        "Réglage « photos.max_megapixels » : valeur diffère de ce que dit le journal d'audit",
    ),
    "setting_forged": (
        "INSERT INTO setting (key, value) VALUES ('ecran.verrou', '0')",
        "Réglage « ecran.verrou » : présent sans événement d'audit qui l'ait écrit",
    ),
    "setting_deleted": (
        "DELETE FROM setting WHERE key = 'photos.max_megapixels'",
        "Réglage « photos.max_megapixels » : supprimé hors de mesodesk",
    ),
}


@pytest.mark.parametrize("case", sorted(ALTERATIONS))
def test_a_direct_alteration_is_reported_by_check(
    identity: Identity, tmp_path: Path, case: str
) -> None:
    statement, expected = ALTERATIONS[case]
    names = {"p": identity.practitioner, "t": identity.template, "ph": identity.photo}
    path = identity.copy(tmp_path / "copy")
    _sql(path, identity.key, statement.format(**names))
    done = run("--db", str(path), "check")
    assert done.returncode == 1, done.stdout
    assert f"mesodesk : altération : {expected.format(**names)}" in done.stderr


def test_the_untouched_copy_checks_clean(identity: Identity, tmp_path: Path) -> None:
    done = run("--db", str(identity.copy(tmp_path / "copy")), "check")
    assert done.returncode == 0, done.stderr


def test_changes_made_through_mesodesk_are_not_reported(
    services: Services, db_path: Path, clock: FakeClock
) -> None:
    practitioner = services.practitioner.save(f.practitioner())
    services.practitioner.save(replace(practitioner, rpps="10000000009", signature_png=PNG))
    services.practice.save(PracticeSettings(insurer="MACSF"))
    services.practice.save(PracticeSettings(VatRegime.ASSUJETTI, VAT, stamp_png=PNG))
    services.consent.edit_template(DocumentKind.CONSENTEMENT_PHOTOS, "Titre", "Texte revu.")
    services.accounts.set_password("marchetti", "mon mot de passe")
    secretary = services.accounts.add("Claire Petit", "claire", Role.SECRETARY, "un mot de passe")
    services.accounts.rename(secretary.login, "cpetit", "Claire Petit-Martin")
    services.accounts.set_password("cpetit", "un autre mot de passe")
    services.accounts.set_active("cpetit", False)
    patient = services.patients.register(f.patient()).id
    session = services.sessions.record(f.session(services, patient)).id
    kept = _photo(services, session, "genou droit", "avant")
    services.photos.delete(_photo(services, session), "erreur de patient")
    services.photos.set_max_megapixels(20)
    services.backups.set_folder(db_path.parent / "ailleurs")
    # A file past its retention goes with its photos.
    old = services.patients.register(f.patient(last_name="Ancien")).id
    _photo(services, services.sessions.record(f.session(services, old, performed_at=FIRST)).id)
    services.export.delete_expired(old, LATER)
    assert services.backups.check().tamper == ()
    assert services.photos.get(kept).zone == "genou droit"
