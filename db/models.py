"""Database: peewee row models of the current schema (what the migrations must produce)."""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import Any

from peewee import (
    SQL,
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Metadata,
    Model,
    Table,
    TextField,
)

# Rows are bound per opened database, for the length of a service call. A module-level proxy
# sent every write to whichever database opened last: with two bases open in one process (a
# backup being verified, a second engine, a test), a patient registered through the first landed
# in the second. Rows now find their database in a context variable that the services set
# around each public call (mesodesk/boundary.py): nesting-safe (reset by token) and per thread
# (a new thread starts with nothing bound). peewee's bind()/bind_ctx() would change a model for
# the whole process: they are refused.
_BOUND: ContextVar[Any] = ContextVar("mesodesk_bound_database", default=None)


class UnboundDatabaseError(RuntimeError):
    """A row model was used with no opened database bound (outside a service call)."""


class _Unbound(DatabaseProxy):
    """What rows see outside a service call: any use raises UnboundDatabaseError."""

    def __getattr__(self, attr: str) -> Any:
        raise UnboundDatabaseError(
            "Aucune base ouverte n'est liée à ce fil : les lignes (db.models) ne s'utilisent "
            "que pendant un appel de service, ou dans db.models.bound(base)."
        )


UNBOUND: Any = _Unbound()


class bound:
    """Rows used inside go to database (and only there); the previous binding comes back after.

    Entered around every public service call: kept to a context variable and a token.
    """

    __slots__ = ("_database", "_tokens")

    def __init__(self, database: Any) -> None:
        if database is None or isinstance(database, DatabaseProxy):
            raise TypeError("bound() takes an opened peewee database")
        self._database = database
        self._tokens: list[Token[Any]] = []

    def __enter__(self) -> Any:
        self._tokens.append(_BOUND.set(self._database))
        return self._database

    def __exit__(self, *exc: object) -> None:
        _BOUND.reset(self._tokens.pop())


def bound_database() -> Any | None:
    """The database rows use in this context (None outside a service call)."""
    return _BOUND.get()


class BoundMetadata(Metadata):
    """A model's metadata whose database is the one bound in the current context."""

    _table: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._declaring = True
        super().__init__(*args, **kwargs)
        self._declaring = False

    @property
    def database(self) -> Any:
        current = _BOUND.get()
        return UNBOUND if current is None else current

    @database.setter
    def database(self, value: Any) -> None:
        # peewee sets it once while declaring the model; never afterwards (bind, bind_ctx).
        if not self.__dict__.get("_declaring", False):
            raise TypeError(
                "Rows are bound per opened database for each service call: "
                "use db.models.bound(database), never Model.bind()/bind_ctx()."
            )

    @property
    def table(self) -> Any:
        # peewee caches a Table carrying the database of its first use: carry none.
        if self._table is None:
            self._table = Table(
                self.table_name,
                [field.column_name for field in self.sorted_fields],
                schema=self.schema,
                _model=self.model,
            )
        return self._table

    @table.setter
    def table(self, value: Any) -> None:
        raise AttributeError('Cannot set the "table".')

    @table.deleter
    def table(self) -> None:
        self._table = None


class BaseRow(Model):
    class Meta:
        model_metadata_class = BoundMetadata
        legacy_table_names = False


class PractitionerRow(BaseRow):
    id = AutoField()
    title = CharField(default="Docteur")
    last_name = CharField()
    first_name = CharField()
    qualifications = TextField(default="")  # one per line
    rpps = CharField()
    address = TextField(default="")  # one line per address line
    postcode = CharField(default="")
    city = CharField(default="")
    country = CharField(default="France")
    phone = CharField(default="")
    email = CharField(default="")
    signature_png = BlobField(null=True)
    in_use = BooleanField(default=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "practitioner"


class AccountRow(BaseRow):
    """A person who logs in: a practitioner (with their own practitioner record) or a secretary.

    password_hash is Argon2id; NULL means the base's passphrase is the password (the account the
    single-practitioner base was given when accounts appeared). Accounts are disabled, never
    deleted: what they did keeps naming them.
    """

    id = AutoField()
    name = CharField()
    login = CharField(unique=True)
    role = CharField()  # praticien | secretaire
    password_hash = CharField(null=True)
    practitioner = ForeignKeyField(PractitionerRow, null=True, on_delete="RESTRICT")
    practitioner_id: int | None
    active = BooleanField(default=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "account"


class PatientRow(BaseRow):
    id = AutoField()
    last_name = CharField()
    birth_name = CharField(default="")
    first_name = CharField()
    sex = CharField()
    birth_date = DateField()
    address = TextField(default="")
    postcode = CharField(default="")
    city = CharField(default="")
    phone = CharField(default="")
    email = CharField(default="")
    regular_doctor = CharField(default="")
    history = TextField(default="")
    allergy_notes = TextField(default="")
    treatments = TextField(default="")
    anticoagulant = BooleanField(default=False)
    pregnancy = CharField(default="inconnu")
    pregnancy_date = DateField(null=True)
    consent_date = DateField(null=True)
    offlabel_justification = TextField(default="")
    notes = TextField(default="")
    archived = BooleanField(default=False)
    archived_at = DateTimeField(null=True)
    sort_key = CharField(index=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "patient"


class PatientAllergyRow(BaseRow):
    id = AutoField()
    patient = ForeignKeyField(PatientRow, backref="allergies", on_delete="CASCADE")
    patient_id: int
    substance = CharField()
    substance_key = CharField()

    class Meta:
        table_name = "patient_allergy"
        indexes = ((("patient", "substance_key"), True),)


class PatientTokenRow(BaseRow):
    """Folded name parts of a patient, for prefix search through an index range scan.

    infix rows hold the inner suffixes of a part ("oeuf" of "boeuf"), searched by longer words.
    """

    id = AutoField()
    patient = ForeignKeyField(PatientRow, backref="tokens", on_delete="CASCADE")
    patient_id: int
    token = CharField()
    infix = BooleanField(default=False)
    sort_key = CharField()  # the patient's, so that a search reads only this index
    prefix2 = CharField()  # first two letters: a two-letter search walks this in name order

    class Meta:
        table_name = "patient_token"
        indexes = (
            (("token", "infix", "sort_key", "patient"), True),
            (("prefix2", "infix", "sort_key", "patient"), False),
        )


class ProductRow(BaseRow):
    id = AutoField()
    name = CharField()
    form = CharField(default="")
    presentation = CharField(default="")
    product_class = CharField(default="autre")
    cis = CharField(default="")
    cip13 = CharField(default="")
    corticoid = BooleanField(default=False)
    do_not_mix = TextField(default="")
    notes = TextField(default="")
    active = BooleanField(default=True)
    search_key = CharField(default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "product"


class ProductSubstanceRow(BaseRow):
    id = AutoField()
    product = ForeignKeyField(ProductRow, backref="substances", on_delete="CASCADE")
    product_id: int
    position = IntegerField()
    dci = CharField()
    dci_key = CharField(index=True)
    strength = CharField(default="")

    class Meta:
        table_name = "product_substance"


class ProtocolRow(BaseRow):
    """A series template the practitioner edits (e.g. arthrose: 4 sessions a week apart)."""

    id = AutoField()
    name = CharField()
    indication = CharField(default="")
    sessions_count = IntegerField()
    intervals = CharField(default="")  # days between sessions, "7,7,7"
    mixture_json = TextField(default="[]")
    techniques_json = TextField(default="[]")
    fee_cents = IntegerField(null=True)
    active = BooleanField(default=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "protocol"


class SeriesRow(BaseRow):
    """A course of sessions for a patient, with its planned dates."""

    id = AutoField()
    patient = ForeignKeyField(PatientRow, backref="series", on_delete="RESTRICT")
    patient_id: int
    protocol = ForeignKeyField(ProtocolRow, null=True, on_delete="SET NULL")
    protocol_id: int | None
    name = CharField()
    indication = CharField(default="")
    dates_json = TextField()  # planned dates, ISO, one a rank
    fee_cents = IntegerField(null=True)
    stopped = BooleanField(default=False)
    created_at = DateTimeField()

    class Meta:
        table_name = "series"


class SessionRow(BaseRow):
    id = AutoField()
    patient = ForeignKeyField(PatientRow, backref="sessions", on_delete="RESTRICT")
    patient_id: int
    performed_at = DateTimeField(index=True)
    indication = CharField(default="")
    zones_json = TextField(default="[]")
    series_rank = IntegerField(null=True)
    series_total = IntegerField(null=True)
    eva_before = IntegerField(null=True)
    eva_after = IntegerField(null=True)
    adverse_events_json = TextField(default="[]")
    adverse_notes = TextField(default="")
    observation_done = BooleanField(default=False)
    notes = TextField(default="")
    fee_cents = IntegerField(null=True)
    payment_mode = CharField(null=True)
    status = CharField(default="brouillon")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    series = ForeignKeyField(SeriesRow, null=True, backref="sessions", on_delete="SET NULL")
    purpose = CharField(default="a_preciser", constraints=[SQL("DEFAULT 'a_preciser'")])
    purpose_reason = TextField(default="", constraints=[SQL("DEFAULT ''")])
    # Whose act (schema 12); sessions before accounts belong to the single practitioner.
    practitioner = ForeignKeyField(PractitionerRow, null=True, on_delete="RESTRICT")
    practitioner_id: int | None
    series_id: int | None

    class Meta:
        table_name = "session"
        indexes = ((("patient", "performed_at"), False),)


class SessionProductRow(BaseRow):
    id = AutoField()
    session = ForeignKeyField(SessionRow, backref="products", on_delete="CASCADE")
    session_id: int
    position = IntegerField()
    product = ForeignKeyField(ProductRow, on_delete="RESTRICT")
    product_id: int
    quantity_ul = IntegerField(null=True)  # micro-litres: exact, unlike a float of ml
    lot = CharField(default="")
    lot_key = CharField(default="", index=True)
    expiry = DateField(null=True)

    class Meta:
        table_name = "session_product"


class DeviceRow(BaseRow):
    """A reusable device of the practice (an injector, or other equipment), by serial number."""

    id = AutoField()
    kind = CharField(default="injecteur")
    model = CharField()
    serial = CharField()
    serial_key = CharField(unique=True)
    in_service_from = DateField(null=True)
    in_service_to = DateField(null=True)
    status = CharField(default="en_service")
    notes = TextField(default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "device"


class DeviceLogRow(BaseRow):
    """One entry of a device's cleaning and maintenance log."""

    id = AutoField()
    device = ForeignKeyField(DeviceRow, backref="log", on_delete="RESTRICT")
    device_id: int
    at = DateTimeField()
    action = CharField()
    product = CharField(default="")
    lot = CharField(default="")
    who = CharField(default="")
    notes = TextField(default="")
    created_at = DateTimeField()

    class Meta:
        table_name = "device_log"
        indexes = ((("device", "at"), False),)


class SessionTechniqueRow(BaseRow):
    id = AutoField()
    session = ForeignKeyField(SessionRow, backref="techniques", on_delete="CASCADE")
    session_id: int
    position = IntegerField()
    technique = CharField(null=True)
    method = CharField(null=True)
    depth_tenth_mm = IntegerField(null=True)  # tenths of a millimetre: exact
    zone = CharField(default="")
    points = IntegerField(null=True)
    needle_length_mm = IntegerField(null=True)
    needle_gauge = IntegerField(null=True)
    injector_model = CharField(default="")
    injector_settings = CharField(default="")
    device = ForeignKeyField(DeviceRow, null=True, on_delete="RESTRICT")
    device_id: int | None
    needle_lot = CharField(null=True)  # single-use material, when the practitioner records it
    syringe_lot = CharField(null=True)

    class Meta:
        table_name = "session_technique"


class SessionAckRow(BaseRow):
    """A warning the practitioner saw and acknowledged when saving a session."""

    id = AutoField()
    session = ForeignKeyField(SessionRow, backref="acks", on_delete="CASCADE")
    session_id: int
    code = CharField()
    detail = CharField(default="")
    reason = TextField(default="")
    acknowledged_at = DateTimeField()

    class Meta:
        table_name = "session_ack"


class PrescriptionRow(BaseRow):
    id = AutoField()
    patient = ForeignKeyField(PatientRow, backref="prescriptions", on_delete="RESTRICT")
    patient_id: int
    session = ForeignKeyField(SessionRow, null=True, on_delete="SET NULL")
    session_id: int | None
    prescribed_on = DateField()
    issued_at = DateTimeField(null=True)
    print_count = IntegerField(default=0)
    snapshot_json = TextField(null=True)  # every printed input, frozen at issue time
    snapshot_sha256 = CharField(null=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    indication = CharField(default="", constraints=[SQL("DEFAULT ''")])
    practitioner = ForeignKeyField(PractitionerRow, null=True, on_delete="RESTRICT")
    practitioner_id: int | None

    class Meta:
        table_name = "prescription"


class PrescriptionLineRow(BaseRow):
    id = AutoField()
    prescription = ForeignKeyField(PrescriptionRow, backref="lines", on_delete="CASCADE")
    prescription_id: int
    position = IntegerField()
    product = ForeignKeyField(ProductRow, null=True, on_delete="SET NULL")
    product_id: int | None
    dci = CharField()
    brand = CharField(default="")
    strength_form = CharField(default="")
    quantity = IntegerField()
    unit = CharField()
    directions = TextField(default="")
    sessions_count = IntegerField(null=True)
    hors_amm_nr = BooleanField(default=True)
    presentation = CharField(default="", constraints=[SQL("DEFAULT ''")])  # "boîte de 10 …"
    units_per_box = IntegerField(null=True)
    unit_word = CharField(default="", constraints=[SQL("DEFAULT ''")])  # "ampoule"

    class Meta:
        table_name = "prescription_line"


class AuditEventRow(BaseRow):
    id = AutoField()
    at_utc = CharField()
    action = CharField()
    entity = CharField()
    entity_id = IntegerField(null=True)
    before_json = TextField(null=True)
    after_json = TextField(null=True)
    prev_hash = CharField()
    hash = CharField()
    account_id = IntegerField(null=True)  # who did it (schema 12); hashed when present

    class Meta:
        table_name = "audit_event"


class SessionAddendumRow(BaseRow):
    """A correction of a closed session: the original stays, the addendum says who, when, why."""

    id = AutoField()
    session = ForeignKeyField(SessionRow, backref="addenda", on_delete="RESTRICT")
    session_id: int
    created_at = DateTimeField()
    author = CharField()
    reason = TextField()
    before_json = TextField()
    after_json = TextField()

    class Meta:
        table_name = "session_addendum"


class DayClosureRow(BaseRow):
    day = DateField(primary_key=True)
    closed_at = DateTimeField()
    sessions = IntegerField()
    author = CharField()

    class Meta:
        table_name = "day_closure"


class AccessLogRow(BaseRow):
    """Who opened, printed, exported or backed up what, and when (kept one year)."""

    id = AutoField()
    at = DateTimeField(index=True)
    who = CharField()
    action = CharField()
    entity = CharField()
    entity_id = IntegerField(null=True)
    detail = TextField(default="")
    account = ForeignKeyField(AccountRow, null=True, on_delete="RESTRICT")
    account_id: int | None

    class Meta:
        table_name = "access_log"


class RefDrugRow(BaseRow):
    """A medicinal product of the public drug database (BDPM), by its CIS code."""

    cis = CharField(primary_key=True)
    name = CharField()
    form = CharField(default="")
    routes = CharField(default="")  # ";"-separated, as in the BDPM
    amm_status = CharField(default="")
    marketed = BooleanField(default=True)
    injectable = BooleanField(default=False)
    corticoid = BooleanField(default=False)
    withdrawn = BooleanField(default=False)  # absent from the latest import
    holder = CharField(default="")
    conditions = TextField(default="")
    search_key = TextField(default="")
    imported_at = DateTimeField()

    class Meta:
        table_name = "ref_drug"


class RefSubstanceRow(BaseRow):
    id = AutoField()
    drug = ForeignKeyField(RefDrugRow, column_name="cis", backref="substances", on_delete="CASCADE")
    cis: str
    position = IntegerField()
    code = CharField(default="")
    name = CharField()
    name_key = CharField(index=True)
    dosage = CharField(default="")
    reference = CharField(default="")
    nature = CharField(default="SA")
    link = CharField(default="")

    class Meta:
        table_name = "ref_substance"


class RefPresentationRow(BaseRow):
    cip13 = CharField(primary_key=True)
    drug = ForeignKeyField(
        RefDrugRow, column_name="cis", backref="presentations", on_delete="CASCADE"
    )
    cis: str
    cip7 = CharField(default="")
    label = CharField(default="")
    status = CharField(default="")
    marketing = CharField(default="")
    price_cents = IntegerField(null=True)
    rate = CharField(default="")

    class Meta:
        table_name = "ref_presentation"


class EstimateRow(BaseRow):
    """A devis: of a series, of one session, or of a protocol not yet started."""

    id = AutoField()
    series = ForeignKeyField(SeriesRow, null=True, backref="estimates", on_delete="RESTRICT")
    series_id: int | None
    session = ForeignKeyField(SessionRow, null=True, on_delete="RESTRICT")
    session_id: int | None
    protocol = ForeignKeyField(ProtocolRow, null=True, on_delete="SET NULL")
    protocol_id: int | None
    patient = ForeignKeyField(PatientRow, on_delete="RESTRICT")
    patient_id: int
    created_on = DateField()
    purpose = CharField()
    total_cents = IntegerField()
    snapshot_json = TextField()
    snapshot_sha256 = CharField()
    accepted_on = DateField(null=True)
    print_count = IntegerField(default=0)

    class Meta:
        table_name = "estimate"


class ReceiptRow(BaseRow):
    """A fee receipt: numbered without gap per year, never deleted; a credit cancels one."""

    id = AutoField()
    year = IntegerField()
    number = IntegerField()
    patient = ForeignKeyField(PatientRow, backref="receipts", on_delete="RESTRICT")
    patient_id: int
    issued_at = DateTimeField()
    amount_cents = IntegerField()
    payment_mode = CharField()
    session_ids = CharField(default="")
    credit_of = ForeignKeyField("self", null=True, on_delete="RESTRICT")
    credit_of_id: int | None
    snapshot_json = TextField()
    snapshot_sha256 = CharField()
    print_count = IntegerField(default=0)
    ht_cents = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
    vat_cents = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
    exempt_cents = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
    paid_on = DateField(null=True, index=True)  # money received, or refunded for a credit
    # Numbered per practitioner and year (schema 12); the account that issued it.
    practitioner = ForeignKeyField(PractitionerRow, null=True, on_delete="RESTRICT", index=False)
    practitioner_id: int | None
    account = ForeignKeyField(AccountRow, null=True, on_delete="RESTRICT")
    account_id: int | None

    class Meta:
        table_name = "receipt"
        indexes = ((("practitioner", "year", "number"), True),)


class DocumentTemplateRow(BaseRow):
    """One version of an information or consent document; never changed once written."""

    id = AutoField()
    kind = CharField()
    version = IntegerField()
    title = CharField()
    body = TextField()
    created_at = DateTimeField()

    class Meta:
        table_name = "document_template"
        indexes = ((("kind", "version"), True),)


class ConsentRecordRow(BaseRow):
    """A document given to or signed by a patient, pointing at the exact version given."""

    id = AutoField()
    patient = ForeignKeyField(PatientRow, backref="consents", on_delete="RESTRICT")
    patient_id: int
    template = ForeignKeyField(DocumentTemplateRow, on_delete="RESTRICT")
    template_id: int
    kind = CharField()
    given_on = DateField()
    indication = CharField(default="")
    indication_key = CharField(default="")
    signed = BooleanField(default=False)
    scan = BlobField(null=True)  # the signed page, encrypted with the database
    scan_type = CharField(null=True)
    publication = BooleanField(default=False)
    withdrawn_on = DateField(null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = "consent_record"


class OfflabelJustificationRow(BaseRow):
    """Why the practitioner prescribes off-label for this patient and indication."""

    id = AutoField()
    patient = ForeignKeyField(PatientRow, on_delete="RESTRICT")
    patient_id: int
    indication = CharField()
    indication_key = CharField()
    text = TextField()
    written_on = DateField()
    created_at = DateTimeField()

    class Meta:
        table_name = "offlabel_justification"


class AccessRequestRow(BaseRow):
    """A patient's request for a copy of their file, and when it was delivered."""

    id = AutoField()
    patient = ForeignKeyField(PatientRow, on_delete="RESTRICT")
    patient_id: int
    requested_on = DateField()
    scope = TextField(default="")
    older_data = BooleanField(default=False)
    due_on = DateField()
    delivered_on = DateField(null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = "access_request"


class ReceiptPaymentRow(BaseRow):
    """One payment of a note (part cheque, part card…), or the refund of a credit note."""

    id = AutoField()
    receipt = ForeignKeyField(ReceiptRow, backref="payments", on_delete="RESTRICT")
    receipt_id: int
    position = IntegerField()
    mode = CharField()
    amount_cents = IntegerField()

    class Meta:
        table_name = "receipt_payment"


class PracticeSettingsRow(BaseRow):
    """The practice's tax regime, Ordre number, insurance, stamp and reflection delay."""

    id = AutoField()
    vat_regime = CharField()
    vat_number = CharField()
    vat_rate_bp = IntegerField()  # basis points: 2000 = 20 %
    ordre_number = CharField()
    insurer = CharField()
    insurance_contract = CharField()
    stamp_png = BlobField(null=True)
    reflection_days = IntegerField()
    updated_at = DateTimeField()
    # Each practitioner's own settings (schema 12); the first practitioner's before accounts.
    practitioner = ForeignKeyField(PractitionerRow, null=True, on_delete="RESTRICT", unique=True)
    practitioner_id: int | None

    class Meta:
        table_name = "practice_settings"


class SettingRow(BaseRow):
    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "setting"


class SessionMapRow(BaseRow):
    """The injection map of a session (JSON of mesodesk.injection_map), when one was charted."""

    session = ForeignKeyField(SessionRow, primary_key=True, on_delete="CASCADE")
    session_id: int
    map_json = TextField()

    class Meta:
        table_name = "session_map"


class ProtocolMapRow(BaseRow):
    """The default injection map of a protocol."""

    protocol = ForeignKeyField(ProtocolRow, primary_key=True, on_delete="CASCADE")
    protocol_id: int
    map_json = TextField()

    class Meta:
        table_name = "protocol_map"


class SeriesEvaluationRow(BaseRow):
    """The evaluation of a series after its third session: continue, adapt or stop."""

    id = AutoField()
    series = ForeignKeyField(SeriesRow, backref="evaluations", on_delete="CASCADE")
    series_id: int
    after_rank = IntegerField()
    decision = CharField()
    note = TextField(default="")
    recorded_at = DateTimeField()

    class Meta:
        table_name = "series_evaluation"


class VigilanceEventRow(BaseRow):
    """An adverse event after a session, with the decision to report it."""

    id = AutoField()
    session = ForeignKeyField(SessionRow, backref="vigilance_events", on_delete="RESTRICT")
    session_id: int
    kind = CharField()
    kind_other = CharField(default="")
    description = TextField(default="")
    onset = DateField(null=True)
    seriousness = CharField(null=True)  # None: not assessed yet
    treatment = TextField(default="")
    outcome = CharField(default="inconnue")
    suspects_json = TextField(default="null")  # product ids; null: every product of the session
    device_suspected = BooleanField(default=False)
    weight_kg = IntegerField(null=True)
    decision = CharField(null=True)  # None: not decided yet
    decision_reason = TextField(default="")
    reported_on = DateField(null=True)
    report_reference = CharField(default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "vigilance_event"


class VigilanceFollowupRow(BaseRow):
    id = AutoField()
    event = ForeignKeyField(VigilanceEventRow, backref="followups", on_delete="CASCADE")
    event_id: int
    noted_on = DateField()
    outcome = CharField()
    note = TextField(default="")
    created_at = DateTimeField()

    class Meta:
        table_name = "vigilance_followup"


class PhotoRow(BaseRow):
    """A clinical photograph: its image lives in encrypted files; its key lives only here."""

    id = AutoField()
    patient = ForeignKeyField(PatientRow, backref="photos", on_delete="RESTRICT")
    patient_id: int
    session = ForeignKeyField(SessionRow, backref="photos", on_delete="RESTRICT")
    session_id: int
    view = CharField()
    zone = CharField(default="")
    taken_on = DateField()
    note = TextField(default="")
    width = IntegerField()
    height = IntegerField()
    sha256 = CharField()  # of the stored clean image, also in the audit trail
    blob_name = CharField(unique=True)  # random: the file names of the encrypted images
    blob_key = BlobField()  # AES-256-GCM key of those files (the base itself is encrypted)
    stored_bytes = IntegerField()
    consent_acknowledged = BooleanField(default=False)  # added without photo consent, warned
    created_at = DateTimeField()

    class Meta:
        table_name = "photo"
        indexes = ((("patient", "view", "taken_on"), False),)


class PhotoPartRow(BaseRow):
    """One sealed part of a photo on a practice server (schema 13): the AES-256-GCM bytes as
    the desk wrote them, never in clear (the key stays in the photo row). A file base keeps
    its photos in files beside it and leaves this table empty."""

    name = ForeignKeyField(
        PhotoRow,
        field=PhotoRow.blob_name,
        column_name="name",
        on_delete="CASCADE",
        deferrable="INITIALLY DEFERRED",  # the parts are written before their photo's row
        index=False,  # the primary key (name, part) serves it
    )
    part = CharField()  # "o", "p", "t" (db.photo_store.Part)
    data = BlobField()

    class Meta:
        table_name = "photo_part"
        primary_key = CompositeKey("name", "part")


ALL_ROWS: tuple[type[BaseRow], ...] = (
    PractitionerRow,
    AccountRow,
    PatientRow,
    PatientAllergyRow,
    PatientTokenRow,
    ProductRow,
    ProductSubstanceRow,
    SessionRow,
    SessionProductRow,
    SessionTechniqueRow,
    SessionAckRow,
    PrescriptionRow,
    PrescriptionLineRow,
    AuditEventRow,
    SettingRow,
    SessionAddendumRow,
    DayClosureRow,
    AccessLogRow,
    RefDrugRow,
    RefSubstanceRow,
    RefPresentationRow,
    ProtocolRow,
    SeriesRow,
    EstimateRow,
    ReceiptRow,
    DocumentTemplateRow,
    ConsentRecordRow,
    OfflabelJustificationRow,
    AccessRequestRow,
    SessionMapRow,
    ProtocolMapRow,
    SeriesEvaluationRow,
    DeviceRow,
    DeviceLogRow,
    VigilanceEventRow,
    VigilanceFollowupRow,
    ReceiptPaymentRow,
    PracticeSettingsRow,
    PhotoRow,
    PhotoPartRow,
)
