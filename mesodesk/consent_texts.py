"""Core: first versions of the information and consent documents, written for this project.

Plain French, for the patient. "# " starts a heading, "- " a bullet; {field} is filled in
(see consent.TEMPLATE_FIELDS). The practitioner edits them; each edit is a new version.
"""

from __future__ import annotations

from mesodesk.consent import DocumentKind

_HORS_AMM = """\
# Des médicaments utilisés hors autorisation de mise sur le marché
Les produits injectés sont des médicaments courants (anesthésique local, anti-inflammatoire, \
vitamines…). Leur autorisation de mise sur le marché (AMM) ne prévoit pas la voie utilisée en \
mésothérapie : ils sont employés « hors AMM », sous la responsabilité du médecin, qui inscrit \
dans votre dossier la raison de ce choix.
Ces médicaments et la séance ne sont pas remboursés par l'Assurance maladie. Certaines \
mutuelles participent sur présentation d'une note d'honoraires."""

_RISKS = """\
# Effets indésirables possibles
- fréquents et sans gravité : rougeur, petits points de saignement, petits bleus (hématomes), \
démangeaisons, sensation de chaleur ; ils disparaissent en quelques jours ;
- une douleur passagère peut se réveiller dans les 24 à 48 heures ;
- un malaise (malaise vagal) pendant ou juste après la séance : vous restez allongé{e} \
quelques minutes sous surveillance ;
- rares : allergie à un produit, infection de la peau aux points d'injection ;
- exceptionnels : réaction allergique grave, nécrose de la peau.
Signalez toute allergie connue, tout traitement anticoagulant et toute grossesse avant la \
séance."""

THERAPEUTIQUE = (
    """\
# Ce qu'est la mésothérapie
La mésothérapie consiste à injecter de très petites quantités de médicaments dans la peau, \
au plus près de la zone douloureuse, avec un matériel stérile à usage unique (aiguilles \
courtes, seringue à la main ou injecteur électronique).

# Pourquoi elle vous est proposée
Indication : {indication}.
Le but est de diminuer la douleur et de faciliter la reprise des mouvements, en utilisant \
moins de médicament qu'un traitement par la bouche. Le résultat n'est pas garanti ; il est \
évalué en général après la troisième séance.

# Comment elle se déroule
Séances prévues : {seances}.
Chaque séance dure quelques minutes. La peau est désinfectée ; les injections sont peu \
profondes (quelques millimètres).

"""
    + _RISKS
    + """

# Les autres possibilités
Médicaments par la bouche ou en gel, kinésithérapie, infiltration, repos, ou ne rien faire. \
Votre médecin vous en parle.

"""
    + _HORS_AMM
    + """

# Honoraires
{honoraires}

Vous pouvez poser toutes vos questions et arrêter le traitement à tout moment."""
)

ESTHETIQUE = (
    """\
# Ce qu'est la mésothérapie esthétique
Des produits (vitamines, acide hyaluronique, silicium organique…) sont injectés en très \
petites quantités dans la peau, avec un matériel stérile à usage unique, pour améliorer \
l'aspect de la peau ou du cuir chevelu.

# Ce qui vous est proposé
Indication : {indication}.
Séances prévues : {seances}.
Le résultat varie d'une personne à l'autre et n'est pas garanti. Un entretien a lieu après \
quelques séances pour décider de continuer, d'adapter ou d'arrêter.
La mésothérapie pour faire fondre les graisses (« lipolyse ») est interdite en France : elle \
n'est pas pratiquée.

"""
    + _RISKS
    + """

# Les autres possibilités
Soins de la peau, autres techniques de médecine esthétique, ou ne rien faire.

"""
    + _HORS_AMM
    + """

# Honoraires
{honoraires}
Un acte à visée esthétique n'est pas pris en charge par l'Assurance maladie. Pour un montant \
de 300 € ou plus, un devis détaillé vous est remis ; un délai de réflexion vous est laissé.

Vous pouvez poser toutes vos questions et arrêter à tout moment."""
)

HORS_AMM = """\
# Pourquoi cette information
Votre médecin vous prescrit, pour : {indication}, des médicaments en dehors de leur \
autorisation de mise sur le marché (AMM). La loi (article L.5121-12-1 du code de la santé \
publique) lui demande de vous en informer avant la prescription.

# Ce que cela veut dire
- l'AMM d'un médicament précise ses indications, ses doses et sa voie d'administration ; en \
mésothérapie, les médicaments sont injectés dans la peau, en petite quantité : cette \
utilisation n'est pas prévue par leur AMM ;
- votre médecin estime ce choix utile pour vous, au vu des connaissances et de son \
expérience ; il en écrit la raison dans votre dossier ;
- le bénéfice attendu est une diminution de la douleur ou une amélioration de l'état traité ; \
il n'est pas garanti ;
- les risques sont ceux décrits dans le document d'information sur la mésothérapie : surtout \
rougeurs, petits bleus, douleur passagère ; rarement allergie ou infection ;
- la contrainte : venir aux séances prévues ({seances}) et apporter les médicaments achetés \
en pharmacie.

# Non-remboursement
L'ordonnance porte la mention « Prescription hors autorisation de mise sur le marché » et, \
à côté de chaque médicament, « hors AMM NR » (non remboursable). Ces médicaments ne sont pas \
remboursés par l'Assurance maladie, et la séance de mésothérapie non plus.

Vous pouvez refuser ce traitement ou l'arrêter à tout moment, sans conséquence sur la suite \
de vos soins."""

SOINS = """\
Je soussigné{e}, {patient}, {ne} le {naissance}, déclare :
- avoir reçu de {praticien} une information orale et écrite sur la mésothérapie proposée \
pour : {indication} ;
- avoir compris son but, son déroulement ({seances}), ses effets indésirables possibles, les \
autres possibilités de traitement, et son coût ({honoraires}) ;
- avoir été informé{e} que les médicaments sont utilisés hors autorisation de mise sur le \
marché et ne sont pas remboursés ;
- avoir pu poser mes questions et avoir obtenu des réponses claires ;
- avoir signalé mes allergies, mes traitements (en particulier anticoagulants) et, le cas \
échéant, une grossesse.

J'accepte de recevoir ce traitement. Je sais que je peux retirer mon accord à tout moment, \
en le disant simplement à mon médecin."""

PHOTOS = """\
Je soussigné{e}, {patient}, {ne} le {naissance}, accepte que {praticien} prenne des \
photographies de la zone traitée ({indication}) avant, pendant et après le traitement.

# Pour mon dossier médical
Ces photographies servent uniquement à suivre le résultat. Elles sont conservées dans mon \
dossier, chiffrées, sans données de localisation, comme le reste du dossier médical. Elles \
ne sont montrées à personne d'autre sans mon accord.

# Pour l'enseignement ou une publication (facultatif)
☐ J'accepte en plus que ces photographies, rendues non identifiables (visage masqué, \
sans nom), servent à l'enseignement ou à une publication médicale.
☐ Je refuse cette utilisation.

Cet accord est distinct de mon accord aux soins. Je peux le retirer à tout moment, par \
simple demande : plus aucune photographie ne sera prise, et celles déjà prises ne seront \
plus utilisées hors de mon dossier."""

CONSEILS = """\
# Dans les heures qui suivent
- ne mettez ni crème, ni pommade, ni maquillage sur les points d'injection pendant 24 heures ;
- évitez la piscine, le sauna, le hammam et l'exposition au soleil le jour de la séance ;
- une douche est possible le soir même.

# Ce qui est normal
- des rougeurs, de petits points rouges ou de petits bleus : ils disparaissent en quelques \
jours ;
- une douleur qui se réveille pendant un à deux jours : elle passe seule ; du paracétamol \
est possible si vous le tolérez ;
- une légère fatigue le jour même.

# Quand appeler le cabinet ({telephone})
- une rougeur qui s'étend, devient chaude et douloureuse après 48 heures ;
- un bouton, une croûte ou un écoulement qui persiste aux points d'injection, même plusieurs \
semaines après ;
- de la fièvre.

# En cas d'urgence
Gêne pour respirer, gonflement du visage ou de la gorge, malaise : appelez le 15 (ou le 112).

Prochaine séance : {seances}."""

DEFAULT_TEMPLATES: dict[DocumentKind, tuple[str, str]] = {
    DocumentKind.INFORMATION_THERAPEUTIQUE: (
        "Information sur la mésothérapie à visée thérapeutique",
        THERAPEUTIQUE,
    ),
    DocumentKind.INFORMATION_ESTHETIQUE: (
        "Information sur la mésothérapie à visée esthétique",
        ESTHETIQUE,
    ),
    DocumentKind.INFORMATION_HORS_AMM: (
        "Information sur la prescription de médicaments hors autorisation de mise sur le "
        "marché et leur non-remboursement",
        HORS_AMM,
    ),
    DocumentKind.CONSENTEMENT_SOINS: ("Consentement aux soins de mésothérapie", SOINS),
    DocumentKind.CONSENTEMENT_PHOTOS: ("Consentement aux photographies", PHOTOS),
    DocumentKind.CONSEILS: ("Conseils après votre séance de mésothérapie", CONSEILS),
}
