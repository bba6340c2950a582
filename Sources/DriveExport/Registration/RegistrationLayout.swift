/// Where each policy field sits in one input file: resolved once from the header line and the mapping,
/// shared (read-only) by every record of the file.
public final class RegistrationLayout: Sendable {
    /// The file's header cells, as read.
    public let header: [String]
    /// The mapped field ids, in file column order.
    public let fields: [String]
    /// For each entry of `fields`, its 0-based column index in the file.
    public let columnIndexes: [Int]
    let indexOfField: [String: Int]

    /// Resolves `header` with `mapping`. Every column must map to a field or be ignored explicitly; no
    /// field may come from two columns; every field in `required` must have a column. Each violation is
    /// listed in one `DriveExportError` naming the file, line 1 and the columns.
    public init(header: [String], mapping: HeaderMapping, required: Set<String>, file: String) throws {
        var fields: [String] = [], indexes: [Int] = [], index: [String: Int] = [:]
        var unknown: [DriveExportError.HeaderColumn] = [], duplicate: [DriveExportError.HeaderColumn] = []
        var seenHeaders: Set<String> = []
        for (i, name) in header.enumerated() {
            let column = DriveExportError.HeaderColumn(number: i + 1, name: name)
            if !seenHeaders.insert(name).inserted { duplicate.append(column); continue }
            switch mapping.targets[name] {
            case nil: unknown.append(column)
            case .ignored?: continue
            case .field(let f)?:
                if index[f] != nil { duplicate.append(column); continue }
                index[f] = fields.count
                fields.append(f)
                indexes.append(i)
            }
        }
        if !unknown.isEmpty { throw DriveExportError.unknownColumns(file: file, columns: unknown) }
        if !duplicate.isEmpty { throw DriveExportError.duplicateColumns(file: file, columns: duplicate) }
        let missing = required.filter { index[$0] == nil }.sorted()
        if !missing.isEmpty {
            let expected = missing.map { field in
                let labels = mapping.targets.filter { $0.value == .field(field) }.map(\.key).sorted()
                return labels.isEmpty ? field : "\(field) („\(labels.joined(separator: "“, „"))“)"
            }
            throw DriveExportError.missingColumns(file: file, fields: expected)
        }
        self.header = header
        self.fields = fields
        self.columnIndexes = indexes
        self.indexOfField = index
    }

    /// The position of `field` in `fields` (and in a record's `values`), if the file has it.
    public func index(of field: String) -> Int? { indexOfField[field] }

    /// The 1-based column number of `field` in the file.
    public func columnNumber(of field: String) -> Int? { indexOfField[field].map { columnIndexes[$0] + 1 } }
}
