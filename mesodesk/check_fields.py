"""Core: the names of record fields as the practitioner reads them (check's reports)."""

from __future__ import annotations

from typing import Any

# Field names as the practitioner reads them; any other is shown as stored.
FIELDS = {
    "accepted_on": "date d'acceptation",
    "acknowledgements": "prises en compte",
    "action": "action",
    "active": "actif",
    "address_lines": "adresse",
    "adverse_events": "effets indésirables",
    "after_rank": "après la séance n°",
    "allergies": "allergies",
    "amount_cents": "montant",
    "at": "date",
    "author": "auteur",
    "before": "séance d'origine",
    "birth_date": "date de naissance",
    "body": "texte",
    "city": "ville",
    "closed_at": "date de clôture",
    "corrected": "correction",
    "country": "pays",
    "created_at": "date de création",
    "credit_of": "avoir de la note",
    "dates": "dates prévues",
    "decision": "décision",
    "decision_reason": "motif de la décision",
    "delivered_on": "date de remise",
    "depth_mm": "profondeur",
    "description": "description",
    "detail": "détail",
    "device_id": "appareil",
    "device_suspected": "appareil suspecté",
    "due_on": "échéance",
    "email": "e-mail",
    "entity": "objet",
    "entity_id": "n° de l'objet",
    "eva_after": "EVA après",
    "eva_before": "EVA avant",
    "evaluations": "évaluations",
    "expiry": "péremption",
    "fee_cents": "honoraires",
    "first_name": "prénom",
    "followups": "suivis",
    "has_password": "mot de passe propre",
    "height": "hauteur",
    "id": "n°",
    "in_service_from": "en service depuis",
    "in_service_to": "en service jusqu'au",
    "indication": "indication",
    "injector_model": "modèle d'injecteur",
    "injector_settings": "réglages de l'injecteur",
    "insurance_contract": "contrat d'assurance",
    "insurer": "assureur",
    "intervals": "intervalles",
    "issued": "émission",
    "issued_at": "date d'émission",
    "kind": "type",
    "kind_other": "autre effet",
    "label": "numéro",
    "last_name": "nom",
    "lines": "lignes",
    "log": "registre d'entretien",
    "login": "identifiant",
    "lot": "lot",
    "map": "carte des points",
    "method": "méthode",
    "mixture": "mélange",
    "model": "modèle",
    "name": "nom",
    "needle_gauge": "calibre de l'aiguille",
    "needle_length_mm": "longueur de l'aiguille",
    "needle_lot": "lot des aiguilles",
    "note": "note",
    "noted_on": "date du suivi",
    "notes": "notes",
    "number": "numéro",
    "older_data": "données de plus de 5 ans",
    "onset": "date d'apparition",
    "ordre_number": "n° d'inscription à l'Ordre",
    "outcome": "évolution",
    "patient_id": "patient",
    "payment_mode": "mode de paiement",
    "performed_at": "date et heure",
    "phone": "téléphone",
    "points": "points",
    "postcode": "code postal",
    "practitioner_id": "praticien",
    "prescribed_on": "date de prescription",
    "print_count": "nombre d'impressions",
    "product": "produit",
    "product_id": "produit",
    "products": "produits injectés",
    "protocol_id": "protocole",
    "qualifications": "qualifications",
    "quantity_ml": "quantité",
    "reason": "motif",
    "recorded_at": "date d'enregistrement",
    "reflection_days": "délai de réflexion",
    "report_reference": "référence de la déclaration",
    "reported_on": "date de déclaration",
    "requested_on": "date de la demande",
    "role": "rôle",
    "rpps": "n° RPPS",
    "scan_sha256": "page signée numérisée (SHA-256)",
    "scope": "objet de la demande",
    "serial": "n° de série",
    "seriousness": "gravité",
    "session_id": "séance",
    "sessions": "séances",
    "sessions_count": "nombre de séances",
    "sha256": "empreinte SHA-256",
    "signature_png": "signature",
    "snapshot_sha256": "empreinte du contenu figé (SHA-256)",
    "stamp_png": "tampon (taille)",
    "stamp_sha256": "tampon",
    "status": "statut",
    "stopped": "arrêt",
    "suspect_product_ids": "produits suspectés",
    "syringe_lot": "lot des seringues",
    "taken_on": "date de prise",
    "technique": "technique",
    "techniques": "techniques",
    "text": "texte",
    "title": "titre",
    "total_cents": "montant total",
    "treatment": "traitement",
    "vat_number": "n° de TVA",
    "vat_rate_bp": "taux de TVA",
    "vat_regime": "régime de TVA",
    "version": "version",
    "view": "vue",
    "views": "vues",
    "weight_kg": "poids",
    "who": "qui",
    "width": "largeur",
    "withdrawn_on": "date du retrait",
    "without_consent": "sans consentement",
    "written_on": "date de rédaction",
    "year": "année",
    "zone": "zone",
    "zones": "zones",
}
SKIPPED = {"draft"}  # a level of nesting, not a field the practitioner knows


def field_label(path: tuple[str | int, ...]) -> str:
    parts = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"ligne {part + 1}")
        elif part not in SKIPPED:
            parts.append(FIELDS.get(part, part))
    return " / ".join(parts) or "valeur"


def differing(expected: Any, current: Any, path: tuple[str | int, ...] = ()) -> list[str]:
    """Fields where current differs from expected; a field the trail never held is skipped."""
    if isinstance(expected, dict) and isinstance(current, dict):
        return [
            f
            for name in sorted(expected)
            for f in differing(expected[name], current.get(name), (*path, name))
        ]
    if isinstance(expected, list) and isinstance(current, list):
        if len(expected) != len(current):
            return [f"{field_label(path)} (nombre de lignes)"]
        return [
            f
            for i, (e, c) in enumerate(zip(expected, current, strict=True))
            for f in differing(e, c, (*path, i))
        ]
    return [] if expected == current else [field_label(path)]
