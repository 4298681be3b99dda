"""UI: the identity and contact fields of a patient, as the full file and the secretary's
contact dialog both show them (label, and the field's name in the form and the service)."""

from __future__ import annotations

DATE_HINT = "JJ/MM/AAAA"

CONTACT_ROWS: tuple[tuple[str, str], ...] = (
    ("Nom *", "last_name"),
    ("Nom de naissance", "birth_name"),
    ("Prénom *", "first_name"),
    ("Sexe *", "sex"),
    ("Date de naissance *", "birth_date"),
    ("Adresse", "address"),
    ("Code postal", "postcode"),
    ("Ville", "city"),
    ("Téléphone", "phone"),
    ("E-mail", "email"),
)
