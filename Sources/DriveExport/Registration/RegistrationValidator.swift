import Foundation
import PolicyEngine

/// Turns raw CSV records into valid registration records or quarantine entries. Remembers the case ids
/// already seen in the file (the first occurrence wins; later rows with the same id are quarantined).
/// That is the one thing that grows with the list: per distinct case id a 64-bit hash (Swift's
/// per-process randomly seeded `Hasher`) and the first line, 12 bytes in a hash table (about 25 MB at a
/// million rows). Two different ids colliding in 64 bits (odds about 1 in 10^7 at a million rows) would
/// quarantine the second as a duplicate: never an export of a bad row, at worst a row held back. A pass can
/// instead collect the ids in bounded memory (`collectingDuplicates`: the duplicates are then known only at
/// the end, `finishDuplicates()`), and a later pass over the same bytes can be given them (`knownDuplicates`)
/// and needs no memory per case id (the export job's passes 1 and 2).
public struct RegistrationValidator: Sendable {
    /// What to check.
    public let schema: RegistrationSchema
    /// Where the fields are.
    public let layout: RegistrationLayout
    /// The date birth dates must not be after (the date in Germany of the run's `now`).
    public let today: CivilDate
    var firstLineOfCaseID: [UInt64: UInt32] = [:]
    /// The duplicate rows found so far: line → line of the case id's first occurrence (few; kept so that a second
    /// pass over the same file can be given them instead of remembering every case id again).
    public private(set) var duplicateLines: [UInt32: UInt32] = [:]
    /// Set for a second pass over a file whose duplicates an earlier pass found: rows are looked up here by
    /// line, and no case id is remembered (memory stays flat).
    let knownDuplicates: [UInt32: UInt32]?
    /// Set for a first pass that only collects the case ids (in bounded memory, `DuplicateCaseIDFinder`): no
    /// row is reported as a duplicate while reading; `finishDuplicates()` then gives every duplicate row.
    let duplicateFinder: DuplicateCaseIDFinder?
    let caseIDIndex: Int
    let caseIDColumn: Int
    let birthIndex: Int?
    let municipalityIndex: Int?
    /// Per field (aligned with `layout.fields`): is it a date, a postcode, required?
    let isDate: [Bool]
    /// Per field: a date that cannot lie after the run's day (`RegistrationSchema.pastDateFields`).
    let isPastDate: [Bool]
    let isPostcode: [Bool]
    let isRequired: [Bool]
    let allowsLineBreak: [Bool]
    let isYesNo: [Bool]
    let isInteger: [Bool]
    /// The allowed municipalities, for the names probably meant by an unknown one.
    let county: CountyMunicipalities

    /// A validator for one file. `layout` must contain every required field (see `RegistrationLayout`).
    /// `knownDuplicates`: the `duplicateLines` of an earlier pass over the same bytes (the caller checks that they
    /// are the same, e.g. by their SHA-256), so this pass needs no memory per case id.
    /// `collectingDuplicates`: see `duplicateFinder` (ignored with `knownDuplicates`).
    public init(schema: RegistrationSchema, layout: RegistrationLayout, now: Date, knownDuplicates: [UInt32: UInt32]? = nil,
                collectingDuplicates: Bool = false) {
        self.schema = schema
        self.knownDuplicates = knownDuplicates
        self.duplicateFinder = collectingDuplicates && knownDuplicates == nil ? DuplicateCaseIDFinder() : nil
        self.layout = layout
        self.today = CivilDate(berlinDateOf: now)
        caseIDIndex = layout.index(of: schema.caseIDField)!
        caseIDColumn = layout.columnIndexes[caseIDIndex]
        birthIndex = schema.birthDateField.flatMap(layout.index(of:))
        municipalityIndex = schema.municipalityField.flatMap(layout.index(of:))
        isDate = layout.fields.map(schema.dateFields.contains)
        isPastDate = layout.fields.map(schema.pastDateFields.contains)
        isPostcode = layout.fields.map(schema.postcodeFields.contains)
        isRequired = layout.fields.map(schema.requiredFields.contains)
        allowsLineBreak = layout.fields.map(schema.multilineFields.contains)
        isYesNo = layout.fields.map(schema.yesNoFields.contains)
        isInteger = layout.fields.map(schema.integerFields.contains)
        county = CountyMunicipalities(schema.allowedMunicipalities)
    }

    /// In a collecting pass (`collectingDuplicates`), once every row is read: finds the duplicate rows (they are
    /// `duplicateLines` afterwards) and returns them. Throws when the temporary file failed.
    public mutating func finishDuplicates() throws -> [UInt32: UInt32] {
        if let duplicateFinder { duplicateLines = try duplicateFinder.finish() }
        return duplicateLines
    }

    /// The outcome for one raw record.
    public mutating func validate(_ raw: CSVRawRecord) -> RegistrationRow {
        let (readableCaseID, duplicateOf) = noteCaseID(raw)
        return check(raw, readableCaseID: readableCaseID, duplicateOf: duplicateOf)
    }

    /// For a pass that needs only some rows: records the row's case id exactly as `validate` does (so a later
    /// duplicate is found the same way), and validates the row only when `wanted(raw)`; nil otherwise.
    /// The export's first pass reads every row but validates only school-age children with a household.
    public mutating func validate(_ raw: CSVRawRecord, if wanted: (CSVRawRecord) -> Bool) -> RegistrationRow? {
        let (readableCaseID, duplicateOf) = noteCaseID(raw)
        guard wanted(raw) else { return nil }
        return check(raw, readableCaseID: readableCaseID, duplicateOf: duplicateOf)
    }

    /// The row's case id if readable, remembered for the duplicate check; and the line of its first occurrence
    /// when it was seen before.
    /// A record whose structure was lost at or before the case id's column has no case id of its own: the cell
    /// there may hold text of a later line (a stray quote), whose row is read again on its own.
    private mutating func noteCaseID(_ raw: CSVRawRecord) -> (id: String?, duplicateOf: Int?) {
        if let broken = raw.problems.first(where: \.isStructural)?.column, broken <= caseIDColumn + 1 { return (nil, nil) }
        let caseIDCell = raw.cells.count > caseIDColumn ? raw.cells[caseIDColumn].trimmingSpaces : ""
        guard CellChecks.isValidCaseID(caseIDCell) else { return (nil, nil) }
        if let knownDuplicates { return (caseIDCell, knownDuplicates[UInt32(clamping: raw.line)].map(Int.init)) }
        var h = Hasher()
        h.combine(caseIDCell)
        let key = UInt64(bitPattern: Int64(h.finalize()))
        if let duplicateFinder {
            duplicateFinder.note(hash: key, line: UInt32(clamping: raw.line))
            return (caseIDCell, nil)
        }
        if let first = firstLineOfCaseID[key] {
            duplicateLines[UInt32(clamping: raw.line)] = first
            return (caseIDCell, Int(first))
        }
        firstLineOfCaseID[key] = UInt32(clamping: raw.line)
        return (caseIDCell, nil)
    }

    /// The physical line a cell starts on: the record's first line plus the line feeds of the cells before it.
    static func firstLine(ofColumn column: Int, in raw: CSVRawRecord) -> Int {
        raw.line + raw.cells.prefix(column).reduce(0) { $0 + $1.utf8.count { $0 == 0x0A } }
    }

    private func check(_ raw: CSVRawRecord, readableCaseID: String?, duplicateOf: Int?) -> RegistrationRow {
        var reasons = raw.problems.map { QuarantineReason(problem: $0, header: layout.header) }
        guard raw.problems.isEmpty else {
            return .quarantined(QuarantineEntry(line: raw.line, caseID: readableCaseID, reasons: reasons))
        }
        var values: [String] = []
        values.reserveCapacity(layout.fields.count)
        var birthDate: CivilDate?
        for (i, column) in layout.columnIndexes.enumerated() {
            let cell = raw.cells[column]
            let trimmed = cell.trimmingSpaces
            // What goes out is what was checked: the case id a partner gets is the one the log, the person's record and
            // a later erasure notice name (an export probe found `RSK-2022-000001 ` sent beside a notice for
            // `RSK-2022-000001`). Free text keeps its spaces, as written.
            values.append(allowsLineBreak[i] ? cell : trimmed)
            func reason(_ code: QuarantineReason.Code, _ detail: String? = nil) {
                reasons.append(QuarantineReason(code: code, columnNumber: column + 1, columnName: layout.header[column], detail: detail))
            }
            let found = CellChecks.scan(cell)
            if found.controlCharacters { reason(.controlCharacters) }
            if found.lineBreak, !allowsLineBreak[i] { reason(.lineBreakInCell, "\(Self.firstLine(ofColumn: column, in: raw))") }
            if CellChecks.looksLikeFormula(cell) { reason(.formulaContent) }
            if trimmed.isEmpty {
                if isRequired[i] { reason(.missingRequiredField) }
                continue
            }
            if i == caseIDIndex {
                if readableCaseID == nil { reason(.invalidCaseID) }
                else if let first = duplicateOf { reason(.duplicateCaseID, "\(first)") }
            }
            if isDate[i] {
                if let date = CivilDate(parsing: trimmed) {
                    if i == birthIndex {
                        birthDate = date
                        if date > today { reason(.birthDateInFuture) }
                    } else if isPastDate[i], date > today {
                        reason(.dateInFuture)
                    }
                } else {
                    reason(.invalidDate)
                }
            }
            if i == municipalityIndex, !schema.allowedMunicipalities.isEmpty, !schema.allowedMunicipalities.contains(trimmed) {
                // The names probably meant (`siegburg`, `Trosdorf`, `Hennef` → `Hennef (Sieg)`), so the case manager
                // can correct the list; the policy's names, not the cell's text.
                let meant = county.suggestions(for: trimmed)
                reason(.unknownMunicipality, meant.isEmpty ? nil : meant.joined(separator: ", "))
            }
            if isPostcode[i], !CellChecks.isValidPostcode(trimmed) { reason(.invalidPostcode) }
            if isYesNo[i], YesNoCell.parse(trimmed) == nil { reason(.invalidYesNo) }
            if isInteger[i], IntegerCell.parse(trimmed) == nil { reason(.invalidNumber) }
        }
        guard reasons.isEmpty, let id = readableCaseID else {
            return .quarantined(QuarantineEntry(line: raw.line, caseID: readableCaseID, reasons: reasons))
        }
        return .valid(RegistrationRecord(line: raw.line, caseID: id, birthDate: birthDate, values: values, layout: layout))
    }
}

/// A row of a registration list after validation.
public enum RegistrationRow: Sendable, Equatable {
    /// A row that may be exported (subject to policy).
    case valid(RegistrationRecord)
    /// A row that must not be exported, with the reasons for the case manager.
    case quarantined(QuarantineEntry)

    /// The row's first physical line.
    public var line: Int {
        switch self {
        case .valid(let r): return r.line
        case .quarantined(let q): return q.line
        }
    }
}
