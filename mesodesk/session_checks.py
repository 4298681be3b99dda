"""Core: rules checked on a session as it is entered (warnings and blocking problems, no I/O)."""

from __future__ import annotations

from datetime import date

from mesodesk import banned, normalize
from mesodesk.domain import (
    TYPICAL_DEPTH_MM,
    Pregnancy,
    ProductRecord,
    SessionCheck,
    SessionDraft,
    Sex,
    TechniqueLine,
)

_PATIENT_WORD: dict[Sex | None, str] = {Sex.F: "Patiente", Sex.M: "Patient"}

MAX_PRODUCTS_BESIDES_ANAESTHETIC = 3


def _fmt(value: object) -> str:
    return str(value).replace(".", ",")


def allergy_matches(allergies: tuple[str, ...], product: ProductRecord) -> list[str]:
    """Active ingredients of the product that the patient is allergic to (salts ignored)."""
    keys = {normalize.substance_key(a) for a in allergies}
    return [s.dci for s in product.draft.substances if normalize.substance_key(s.dci) in keys]


def product_checks(
    draft: SessionDraft,
    products: dict[int, ProductRecord],
    allergies: tuple[str, ...],
) -> list[SessionCheck]:
    checks: list[SessionCheck] = []
    for index, line in enumerate(draft.products):
        product = products.get(line.product_id)
        if product is None:
            continue
        field = f"products[{index}]"
        for dci in allergy_matches(allergies, product):
            checks.append(
                SessionCheck(
                    "allergy",
                    field,
                    f"{product.name} : le patient est allergique à {dci}.",
                )
            )
        if product.draft.corticoid:
            checks.append(
                SessionCheck(
                    "corticoid",
                    field,
                    f"{product.name} est un corticoïde (règle : pas de corticoïde).",
                )
            )
        if product.draft.do_not_mix and len(draft.products) > 1:
            checks.append(
                SessionCheck("do_not_mix", field, f"{product.name} : {product.draft.do_not_mix}")
            )
    others = {
        p.product_id
        for p in draft.products
        if p.product_id in products and not products[p.product_id].is_anaesthetic
    }
    if len(others) > MAX_PRODUCTS_BESIDES_ANAESTHETIC:
        checks.append(
            SessionCheck(
                "too_many_products",
                "products",
                f"{len(others)} produits dans le mélange en plus de l'anesthésique "
                f"(règle : {MAX_PRODUCTS_BESIDES_ANAESTHETIC} au plus).",
            )
        )
    return checks


def depth_is_unusual(line: TechniqueLine) -> bool:
    if line.depth_mm is None or line.method is None:
        return False
    low, high = TYPICAL_DEPTH_MM[line.method]
    return not low <= line.depth_mm <= high


def technique_checks(draft: SessionDraft) -> list[SessionCheck]:
    checks: list[SessionCheck] = []
    for index, line in enumerate(draft.techniques):
        if depth_is_unusual(line) and line.method is not None and line.depth_mm is not None:
            low, high = TYPICAL_DEPTH_MM[line.method]
            checks.append(
                SessionCheck(
                    "unusual_depth",
                    f"techniques[{index}].depth_mm",
                    f"Profondeur inhabituelle : {_fmt(line.depth_mm)} mm en "
                    f"{_lower_first(line.method.label)} "
                    f"(habituel : {_fmt(low)} à {_fmt(high)} mm).",
                )
            )
    return checks


def _lower_first(text: str) -> str:
    """ "intradermique superficielle (IDS, nappage)": abbreviations keep their capitals."""
    return text[:1].lower() + text[1:]


def patient_checks(
    pregnancy: Pregnancy, anticoagulant: bool, sex: Sex | None = None
) -> list[SessionCheck]:
    checks: list[SessionCheck] = []
    if pregnancy is Pregnancy.ENCEINTE:
        checks.append(
            SessionCheck(
                "pregnancy", "patient", "Patiente enceinte : pas de mésothérapie par principe."
            )
        )
    if anticoagulant:
        checks.append(
            SessionCheck(
                "anticoagulant",
                "patient",
                f"{_PATIENT_WORD.get(sex, 'Patient(e)')} sous anticoagulant : risque d'hématome.",
            )
        )
    return checks


def completeness_problems(draft: SessionDraft) -> list[SessionCheck]:
    """What keeps a session from being complete: each is blocking at the day's close."""
    problems: list[SessionCheck] = []
    day = draft.performed_at.date()
    for index, line in enumerate(draft.products):
        field = f"products[{index}]"
        if not line.lot.strip():
            problems.append(SessionCheck("missing_lot", f"{field}.lot", "Lot manquant.", True))
        if line.expiry is None:
            problems.append(
                SessionCheck("missing_expiry", f"{field}.expiry", "Péremption manquante.", True)
            )
        elif line.expiry < day:
            problems.append(
                SessionCheck("expired", f"{field}.expiry", _expired_message(line.expiry, day), True)
            )
        if line.quantity_ml is None:
            problems.append(
                SessionCheck(
                    "missing_quantity", f"{field}.quantity_ml", "Quantité manquante.", True
                )
            )
    if not draft.techniques:
        problems.append(
            SessionCheck("no_technique", "techniques", "Aucune ligne de technique.", True)
        )
    for index, tline in enumerate(draft.techniques):
        field = f"techniques[{index}]"
        if tline.technique is None or tline.method is None:
            problems.append(
                SessionCheck(
                    "missing_method", f"{field}.method", "Technique ou méthode manquante.", True
                )
            )
        if tline.depth_mm is None:
            problems.append(
                SessionCheck("missing_depth", f"{field}.depth_mm", "Profondeur manquante.", True)
            )
    return problems


def _expired_message(expiry: date, day: date) -> str:
    return f"Produit périmé le {expiry:%d/%m/%Y} (séance du {day:%d/%m/%Y})."


def warnings_for(
    draft: SessionDraft,
    products: dict[int, ProductRecord],
    allergies: tuple[str, ...],
    pregnancy: Pregnancy,
    anticoagulant: bool,
    sex: Sex | None = None,
) -> list[SessionCheck]:
    """Every warning to acknowledge before saving (none of them blocks the save)."""
    return [
        *patient_checks(pregnancy, anticoagulant, sex),
        *product_checks(draft, products, allergies),
        *technique_checks(draft),
        *banned.warnings(draft),
    ]
