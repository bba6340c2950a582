/// What the validator checks, in terms of policy field ids. The caller (the export job) fills it from
/// the policy bundle: which field is the case id, which are dates, and so on.
public struct RegistrationSchema: Sendable, Equatable {
    /// The field holding the case id (e.g. `RSK-2022-000017`): required, unique within a file.
    public var caseIDField: String
    /// The birth date field: must be a date, and not after the run's date.
    public var birthDateField: String?
    /// The municipality field, checked against `allowedMunicipalities` (when that is not empty).
    public var municipalityField: String?
    /// The municipalities a list may name (exact spelling, surrounding spaces ignored): the policy's `municipalities`.
    public var allowedMunicipalities: Set<String>
    /// Fields that must hold a date (`TT.MM.JJJJ` or `JJJJ-MM-TT`) when not empty.
    public var dateFields: Set<String>
    /// Fields that must hold a German postcode (5 digits) when not empty.
    public var postcodeFields: Set<String>
    /// Fields that must have a column and a non-empty cell. Always includes the case id field.
    public var requiredFields: Set<String>
    /// Fields whose cells may hold line breaks (free text over several lines): the policy's fields declared
    /// `multiline: true`. A line break in any other cell quarantines the row (`line-break-in-cell`): names, ids, dates
    /// and codes are single-line, and a quoted cell spanning lines there is almost always a stray quote that swallowed
    /// the following row(s).
    public var multilineFields: Set<String>
    /// Fields that must hold yes or no (`YesNoCell`) when not empty: the policy's `bool` fields.
    public var yesNoFields: Set<String>
    /// Fields that must hold a whole number (`IntegerCell`) when not empty: the policy's `int` fields.
    public var integerFields: Set<String>
    /// Date fields of events that have happened when a list is exported (entry, recording, a consent's signature): a
    /// day after the run's day is a typing mistake (2030 for 2023) and quarantined (`dateInFuture`). The birth date has
    /// its own reason.
    public var pastDateFields: Set<String>

    /// A schema. `requiredFields` defaults to the case id, birth date and municipality fields.
    public init(caseIDField: String, birthDateField: String? = nil, municipalityField: String? = nil,
                allowedMunicipalities: Set<String> = [], dateFields: Set<String> = [],
                postcodeFields: Set<String> = [], requiredFields: Set<String>? = nil, multilineFields: Set<String> = [],
                yesNoFields: Set<String> = [], integerFields: Set<String> = [], pastDateFields: Set<String> = []) {
        self.caseIDField = caseIDField
        self.birthDateField = birthDateField
        self.municipalityField = municipalityField
        self.allowedMunicipalities = Set(allowedMunicipalities.map(\.trimmingSpaces))
        self.dateFields = dateFields.union(birthDateField.map { [$0] } ?? [])
        self.postcodeFields = postcodeFields
        let defaults = [caseIDField, birthDateField, municipalityField].compactMap { $0 }
        self.requiredFields = (requiredFields ?? Set(defaults)).union([caseIDField])
        self.multilineFields = multilineFields
        self.yesNoFields = yesNoFields
        self.integerFields = integerFields
        self.pastDateFields = pastDateFields
    }
}

/// One valid row of a registration list: its line, case id and the mapped cells, exactly as read.
public struct RegistrationRecord: Sendable, Equatable {
    /// The physical line the row starts on.
    public let line: Int
    /// The case id (trimmed).
    public let caseID: String
    /// The parsed birth date, when the schema names a birth date field and it is filled.
    public let birthDate: CivilDate?
    /// The cells of the mapped fields, aligned with `layout.fields`, unchanged.
    public let values: [String]
    /// Where the fields are.
    public let layout: RegistrationLayout

    /// The cell of `field`, or `nil` when the file has no such column.
    public subscript(field: String) -> String? { layout.index(of: field).map { values[$0] } }

    public static func == (a: RegistrationRecord, b: RegistrationRecord) -> Bool {
        a.line == b.line && a.caseID == b.caseID && a.birthDate == b.birthDate && a.values == b.values
            && a.layout.fields == b.layout.fields
    }
}
