"""Core: the practice's tax settings, VAT of each line and the mentions the law asks (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from mesodesk.domain import LabelledEnum, Purpose


class VatRegime(LabelledEnum):
    FRANCHISE = "franchise"  # franchise en base, CGI art. 293 B: no VAT charged
    ASSUJETTI = "assujetti"  # liable: aesthetic acts taxed, therapeutic care exempt


VAT_REGIME_LABELS = {
    VatRegime.FRANCHISE: "Franchise en base (art. 293 B du CGI)",
    VatRegime.ASSUJETTI: "Assujetti à la TVA",
}

DEFAULT_RATE_BP = 2000  # 20 %, in basis points
DEFAULT_REFLECTION_DAYS = 7
ESTIMATE_THRESHOLD_CENTS = 30_000  # arrêté du 17 octobre 1996, art. 1: 300 € and more

THERAPEUTIC_ACT = "Séance de mésothérapie à visée antalgique (acte CCAM ANLB003)"
AESTHETIC_ACT = "Séance de mésothérapie à visée esthétique"
THERAPEUTIC_MENTION = (
    "Acte CCAM ANLB003 « séance de mésothérapie à visée antalgique » (tarif 0 €), non "
    "remboursé par l'Assurance maladie ; certaines complémentaires santé le prennent en charge "
    "sur présentation de cette note."
)
AESTHETIC_MENTION = "Acte à visée esthétique, non pris en charge par l'Assurance maladie."
FRANCHISE_MENTION = "TVA non applicable, art. 293 B du CGI"
EXEMPT_MENTION = "Exonération de TVA, art. 261-4-1° du CGI"
ROUNDING_RULE = (
    "TVA calculée ligne par ligne à partir du prix TTC : HT = TTC ÷ (1 + taux), arrondi au "
    "centime le plus proche (le demi-centime au-dessus) ; TVA = TTC − HT ; les totaux sont "
    "les sommes des lignes."
)


@dataclass(frozen=True, slots=True)
class PracticeSettings:
    """What the accountant decides and the Ordre and insurer gave; printed on money documents."""

    vat_regime: VatRegime = VatRegime.FRANCHISE
    vat_number: str = ""
    vat_rate_bp: int = DEFAULT_RATE_BP
    ordre_number: str = ""
    insurer: str = ""
    insurance_contract: str = ""
    stamp_png: bytes | None = None
    reflection_days: int = DEFAULT_REFLECTION_DAYS

    @property
    def liable(self) -> bool:
        return self.vat_regime is VatRegime.ASSUJETTI

    @property
    def rate_text(self) -> str:
        whole, rest = divmod(self.vat_rate_bp, 100)
        return f"{whole}{',' + str(rest).rstrip('0') if rest else ''}\u00a0%"


@dataclass(frozen=True, slots=True)
class TaxSplit:
    """One amount charged, TTC = HT + TVA exactly; exempt when therapeutic and liable."""

    ht_cents: int
    vat_cents: int
    ttc_cents: int
    exempt: bool

    def __neg__(self) -> TaxSplit:
        return TaxSplit(-self.ht_cents, -self.vat_cents, -self.ttc_cents, self.exempt)


def split(ttc_cents: int, purpose: Purpose, settings: PracticeSettings) -> TaxSplit:
    """The VAT inside a price charged TTC, by the rule ROUNDING_RULE states."""
    if ttc_cents < 0:
        return -split(-ttc_cents, purpose, settings)
    if not settings.liable:
        return TaxSplit(ttc_cents, 0, ttc_cents, False)
    if purpose is not Purpose.ESTHETIQUE:
        return TaxSplit(ttc_cents, 0, ttc_cents, True)
    base = 10_000 + settings.vat_rate_bp
    ht = (ttc_cents * 10_000 * 2 + base) // (2 * base)  # nearest cent, half up
    return TaxSplit(ht, ttc_cents - ht, ttc_cents, False)


def act_label(purpose: Purpose) -> str:
    return AESTHETIC_ACT if purpose is Purpose.ESTHETIQUE else THERAPEUTIC_ACT


def mentions(purposes: set[Purpose], settings: PracticeSettings) -> list[str]:
    """The sentences a note or an estimate covering these purposes must print."""
    found = []
    if Purpose.THERAPEUTIQUE in purposes:
        found.append(THERAPEUTIC_MENTION)
    if Purpose.ESTHETIQUE in purposes:
        found.append(AESTHETIC_MENTION)
    if not settings.liable:
        found.append(FRANCHISE_MENTION)
    else:
        if Purpose.THERAPEUTIQUE in purposes:
            found.append(EXEMPT_MENTION + " (soins à finalité thérapeutique).")
        found.append(ROUNDING_RULE)
    return found
