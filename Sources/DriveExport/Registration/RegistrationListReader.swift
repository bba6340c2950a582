import Foundation

/// A registration list read as a stream: header resolved against the mapping, then one validated row
/// per `next()` call. File-level problems (unreadable header, unknown or missing columns) throw from
/// `init`; row-level problems come back as `.quarantined` rows and never stop the run. A quoted line break is
/// accepted only in the schema's `multilineFields` (see `CSVRecordReader.multilineColumns`).
public final class RegistrationListReader {
    /// The underlying CSV reader (separator, BOM, counters, input digest).
    public let csv: CSVRecordReader
    /// Where the fields are in this file.
    public let layout: RegistrationLayout
    private var validator: RegistrationValidator
    /// Valid rows returned so far.
    public private(set) var validCount = 0
    /// Quarantined rows returned so far.
    public private(set) var quarantinedCount = 0
    /// Of those, the rows quarantined (also) for bytes that are not UTF-8: many of them mean a list saved in another
    /// encoding (Windows-1252) whose header happens to be ASCII (a mapping file), see `ExportSummary.encodingLine`.
    public private(set) var notUTF8Count = 0

    /// Reads the header from `csv` and prepares validation. `alsoRequired` adds fields the run needs
    /// (e.g. the export columns) to the schema's required columns: their absence is a file-level error,
    /// an empty cell is not.
    /// `knownDuplicates`, `collectingDuplicates`: see `RegistrationValidator.init`.
    public init(csv: CSVRecordReader, mapping: HeaderMapping, schema: RegistrationSchema, now: Date,
                alsoRequired: Set<String> = [], knownDuplicates: [UInt32: UInt32]? = nil, collectingDuplicates: Bool = false) throws {
        self.csv = csv
        layout = try RegistrationLayout(header: csv.header, mapping: mapping,
                                        required: schema.requiredFields.union(alsoRequired), file: csv.fileName,
                                        namedFirst: [schema.caseIDField] + [schema.birthDateField, schema.municipalityField].compactMap { $0 })
        validator = RegistrationValidator(schema: schema, layout: layout, now: now, knownDuplicates: knownDuplicates,
                                          collectingDuplicates: collectingDuplicates)
        // Only the fields the schema names as multi-line may hold quoted line breaks; in every other column
        // (ignored ones included) a line break is a stray quote, and the reader resumes at the next line.
        csv.multilineColumns = Set(layout.fields.indices.filter { schema.multilineFields.contains(layout.fields[$0]) }
                                                        .map { layout.columnIndexes[$0] })
    }

    /// Opens the file at `path` as a stream (see `init(csv:…)`).
    public convenience init(path: String, mapping: HeaderMapping, schema: RegistrationSchema, now: Date,
                            alsoRequired: Set<String> = [], options: CSVReaderOptions = CSVReaderOptions(),
                            knownDuplicates: [UInt32: UInt32]? = nil, collectingDuplicates: Bool = false) throws {
        try self.init(csv: CSVRecordReader(path: path, options: options), mapping: mapping, schema: schema,
                      now: now, alsoRequired: alsoRequired, knownDuplicates: knownDuplicates, collectingDuplicates: collectingDuplicates)
    }

    /// The duplicate rows found so far (line → line of the first occurrence): for a later pass over the same file.
    public var duplicateLines: [UInt32: UInt32] { validator.duplicateLines }

    /// In a collecting pass, after the last row: every duplicate row (see `RegistrationValidator.finishDuplicates`).
    public func finishDuplicates() throws -> [UInt32: UInt32] { try validator.finishDuplicates() }

    /// The next row, or `nil` at the end. Throws only when the file cannot be read.
    public func next() throws -> RegistrationRow? {
        guard let raw = try csv.next() else { return nil }
        let row = validator.validate(raw)
        switch row {
        case .valid: validCount += 1
        case .quarantined(let q):
            quarantinedCount += 1
            if q.reasons.contains(where: { $0.code == .invalidUTF8 }) { notUTF8Count += 1 }
        }
        return row
    }

    /// Reads every remaining row, validating only those `wanted` picks (see
    /// `RegistrationValidator.validate(_:if:)`): `body` gets the validated row, or nil for a row passed over, with
    /// the bytes read so far. The counters count only validated rows. For a pass that needs a few rows of a long
    /// list: the CSV is parsed on a background queue a chunk ahead (`BackgroundHandoff`), the rows are checked here.
    public func forEach(validatingOnly wanted: (CSVRawRecord) -> Bool,
                        _ body: (_ row: RegistrationRow?, _ bytesRead: Int) throws -> Void) throws {
        // Only the background queue uses the CSV reader until the end is handed over.
        nonisolated(unsafe) let csv = self.csv
        let chunks = BackgroundHandoff<(records: [CSVRawRecord], bytesRead: Int)>(label: "consentgate.export.list-reader") { put in
            var records: [CSVRawRecord] = []
            records.reserveCapacity(Self.chunkSize)
            while let raw = try csv.next() {
                records.append(raw)
                if records.count == Self.chunkSize {
                    guard put((records, csv.bytesRead)) else { return }
                    records.removeAll(keepingCapacity: true)
                }
            }
            if !records.isEmpty { _ = put((records, csv.bytesRead)) }
        }
        defer { chunks.cancel() }
        while let chunk = try chunks.next() {
            for raw in chunk.records {
                let row = validator.validate(raw, if: wanted)
                switch row {
                case .valid?: validCount += 1
                case .quarantined?: quarantinedCount += 1
                case nil: break
                }
                try body(row, chunk.bytesRead)
            }
        }
    }

    /// Rows per chunk handed from the parsing queue in `forEach(validatingOnly:_:)`.
    static let chunkSize = 2000

    /// The input's SHA-256, once `next()` has returned `nil`.
    public var inputSHA256: [UInt8]? { csv.inputSHA256 }
}
