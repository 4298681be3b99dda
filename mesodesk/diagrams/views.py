"""Core: which drawing each view uses, which views are mirrored, the side a view fixes."""

from __future__ import annotations

from mesodesk.diagrams.body import body, face, profile
from mesodesk.diagrams.joints import foot, hand, knee, scalp, shoulder
from mesodesk.diagrams.shapes import DrawingSpec
from mesodesk.domain import Side
from mesodesk.injection_map import MapView

SPECS: dict[str, DrawingSpec] = {
    "body-front": body(back=False),
    "body-back": body(back=True),
    "face": face(),
    "profile": profile(),
    "scalp": scalp(),
    "hand": hand(),
    "knee": knee(),
    "shoulder": shoulder(),
    "foot": foot(),
}

VIEW_DRAWING: dict[MapView, str] = {
    MapView.CORPS_FACE: "body-front",
    MapView.CORPS_DOS: "body-back",
    MapView.VISAGE_FACE: "face",
    MapView.VISAGE_PROFIL_DROIT: "profile",
    MapView.VISAGE_PROFIL_GAUCHE: "profile",
    MapView.CUIR_CHEVELU: "scalp",
    MapView.MAIN_DROITE: "hand",
    MapView.MAIN_GAUCHE: "hand",
    MapView.GENOU_DROIT: "knee",
    MapView.GENOU_GAUCHE: "knee",
    MapView.EPAULE_DROITE: "shoulder",
    MapView.EPAULE_GAUCHE: "shoulder",
    MapView.PIED_DROIT: "foot",
    MapView.PIED_GAUCHE: "foot",
}

# Left-side views are the right-side drawing mirrored.
MIRRORED = frozenset(
    {
        MapView.VISAGE_PROFIL_GAUCHE,
        MapView.MAIN_GAUCHE,
        MapView.GENOU_GAUCHE,
        MapView.EPAULE_GAUCHE,
        MapView.PIED_GAUCHE,
    }
)

VIEW_SIDE: dict[MapView, Side] = {
    MapView.VISAGE_PROFIL_DROIT: Side.DROITE,
    MapView.VISAGE_PROFIL_GAUCHE: Side.GAUCHE,
    MapView.MAIN_DROITE: Side.DROITE,
    MapView.MAIN_GAUCHE: Side.GAUCHE,
    MapView.GENOU_DROIT: Side.DROITE,
    MapView.GENOU_GAUCHE: Side.GAUCHE,
    MapView.EPAULE_DROITE: Side.DROITE,
    MapView.EPAULE_GAUCHE: Side.GAUCHE,
    MapView.PIED_DROIT: Side.DROITE,
    MapView.PIED_GAUCHE: Side.GAUCHE,
}
