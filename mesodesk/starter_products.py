"""Core: the usual mesotherapy products, put in the catalogue of a new database."""

from __future__ import annotations

from mesodesk.domain import ProductClass, ProductDraft, Substance

INJECTABLE = "solution injectable"

STARTER_PRODUCTS: tuple[ProductDraft, ...] = (
    ProductDraft(
        "Procaïne Lavoisier 2 %",
        (Substance("procaïne (chlorhydrate de)", "20 mg/ml"),),
        INJECTABLE,
        "ampoule de 5 ml",
        ProductClass.ANESTHESIQUE,
    ),
    ProductDraft(
        "Xylocaïne 1 % sans conservateur",
        (Substance("lidocaïne (chlorhydrate de)", "10 mg/ml"),),
        INJECTABLE,
        "ampoule de 5 ml",
        ProductClass.ANESTHESIQUE,
    ),
    ProductDraft(
        "Lidocaïne Aguettant 0,5 %",
        (Substance("lidocaïne (chlorhydrate de)", "5 mg/ml"),),
        INJECTABLE,
        "ampoule de 10 ml",
        ProductClass.ANESTHESIQUE,
    ),
    ProductDraft(
        "Feldène 20 mg/1 ml",
        (Substance("piroxicam", "20 mg/ml"),),
        INJECTABLE,
        "ampoule de 1 ml",
        ProductClass.AINS,
    ),
    ProductDraft(
        "Profénid 100 mg",
        (Substance("kétoprofène", "100 mg"),),
        "poudre et solvant pour solution injectable",
        "flacon + ampoule de 5 ml",
        ProductClass.AINS,
    ),
    ProductDraft(
        "Miorel 4 mg/2 ml",
        (Substance("thiocolchicoside", "4 mg/2 ml"),),
        INJECTABLE,
        "ampoule de 2 ml",
        ProductClass.MYORELAXANT,
        do_not_mix="RCP : ne pas mélanger avec d'autres médicaments dans la même seringue.",
    ),
    ProductDraft(
        "Calcitonine de saumon 100 UI/ml",
        (Substance("calcitonine de saumon", "100 UI/ml"),),
        INJECTABLE,
        "ampoule de 1 ml",
        ProductClass.CALCITONINE,
    ),
    ProductDraft(
        "Sulfate de magnésium Lavoisier 15 %",
        (Substance("sulfate de magnésium", "150 mg/ml"),),
        INJECTABLE,
        "ampoule de 10 ml",
        ProductClass.MINERAL,
    ),
    ProductDraft(
        "Dicynone 250 mg/2 ml",
        (Substance("étamsylate", "250 mg/2 ml"),),
        INJECTABLE,
        "ampoule de 2 ml",
        ProductClass.VASOACTIF,
    ),
    ProductDraft(
        "Torental 100 mg/5 ml",
        (Substance("pentoxifylline", "100 mg/5 ml"),),
        INJECTABLE,
        "ampoule de 5 ml",
        ProductClass.VASOACTIF,
    ),
    ProductDraft(
        "Bépanthène 500 mg/2 ml",
        (Substance("dexpanthénol", "500 mg/2 ml"),),
        INJECTABLE,
        "ampoule de 2 ml",
        ProductClass.VITAMINE,
    ),
    ProductDraft(
        "Conjonctyl",
        (Substance("monométhylsilanetriol salicylate", "0,133 g/100 ml"),),
        INJECTABLE,
        "ampoule de 5 ml",
        ProductClass.SILICIUM,
    ),
)
