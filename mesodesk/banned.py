"""Core: techniques banned by décret n° 2011-382 (aesthetic fat lysis) — refusal and warning."""

from __future__ import annotations

from mesodesk import normalize
from mesodesk.domain import ProductRecord, SessionCheck, SessionDraft
from mesodesk.validation import Problems

DECREE = "décret n° 2011-382 du 11 avril 2011, art. 1"
DECREE_TEXT = (
    "« Les actes à visée lipolytique utilisant des injections de solutions hypo-osmolaires, "
    "des injections de produits lipolytiques (phosphatidylcholine, déoxycholate de sodium), "
    "des injections de mélanges mésothérapeutiques, la carboxythérapie […] sont interdits "
    "en raison du danger grave qu'ils présentent pour la santé humaine. » "
    f"({DECREE}, confirmé par le Conseil d'État le 17 février 2012)"
)

# Folded (lower case, no accents) words of an indication that mean aesthetic fat lysis.
BANNED_INDICATIONS = ("lipolyse", "lyse adipocytaire", "amincissement", "graisse localisee")
LIPOLYTIC_SUBSTANCES = (
    "phosphatidylcholine",
    "desoxycholate",
    "deoxycholate",
    "acide desoxycholique",
    "acide deoxycholique",
)
WARNED_INDICATIONS = ("cellulite",)


def _fold(text: str) -> str:
    return " ".join(normalize.fold(text).replace("-", " ").split())


def banned_indication(indication: str) -> str:
    """The banned word found in the indication ("" when none)."""
    folded = _fold(indication)
    return next((word for word in BANNED_INDICATIONS if word in folded), "")


def lipolytic_substance(product: ProductRecord) -> str:
    """The lipolytic active ingredient of the product ("" when none)."""
    for text in (*(s.dci for s in product.draft.substances), product.name):
        folded = _fold(text)
        if any(word in folded for word in LIPOLYTIC_SUBSTANCES):
            return text
    return ""


def refuse(problems: Problems, draft: SessionDraft, products: dict[int, ProductRecord]) -> None:
    """Add a problem for a banned indication or a lipolytic product, citing the decree."""
    word = banned_indication(draft.indication)
    if word:
        problems.add(
            "indication",
            f"Indication « {draft.indication.strip()} » : la lyse adipocytaire à visée "
            f"esthétique est interdite ({DECREE}). Séance refusée.",
        )
    for index, line in enumerate(draft.products):
        product = products.get(line.product_id)
        found = lipolytic_substance(product) if product is not None else ""
        if found:
            problems.add(
                f"products[{index}].product_id",
                f"Produit {index + 1} — {found} : l'injection de produits lipolytiques "
                f"(phosphatidylcholine, déoxycholate de sodium) est interdite ({DECREE}). "
                "Séance refusée.",
            )


def warnings(draft: SessionDraft) -> list[SessionCheck]:
    folded = _fold(draft.indication)
    if any(word in folded for word in WARNED_INDICATIONS):
        return [
            SessionCheck(
                "banned_technique_risk",
                "indication",
                "Cellulite : aucune technique à visée lipolytique (lyse des grappes "
                f"graisseuses) n'est permise. {DECREE_TEXT}",
            )
        ]
    return []
