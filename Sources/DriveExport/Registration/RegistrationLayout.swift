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

    /// Resolves `header` with `mapping` (each cell by `HeaderMapping.resolve`: invisible and repeated whitespace, and
    /// case when unambiguous, do not make a heading unknown). Every column with a heading must map to a field or be ignored explicitly
    /// (a column with an empty heading is ignored); no field may come from two columns; every field in `required`
    /// must have a column. Each violation is listed in one `DriveExportError` naming the file, line 1 and the columns
    /// (a duplicate with the column it repeats, and the mapping file lines that made two columns one field). When not
    /// one header is known, the line is taken for a person's row (a lost header line) and refused as `noHeaderLine`,
    /// which echoes no cell.
    /// `namedFirst`: the required fields whose headers `noHeaderLine` names first (e.g. case id, birth date,
    /// municipality); it names three.
    public init(header: [String], mapping: HeaderMapping, required: Set<String>, file: String, namedFirst: [String] = []) throws {
        var fields: [String] = [], indexes: [Int] = [], index: [String: Int] = [:]
        var unknown: [DriveExportError.HeaderColumn] = [], duplicate: [DriveExportError.DuplicateColumn] = []
        var firstColumnOfHeader: [String: Int] = [:]
        func headerColumn(_ i: Int) -> DriveExportError.HeaderColumn { .init(number: i + 1, name: header[i]) }
        for (i, name) in header.enumerated() {
            // A column without a heading (German Excel writes a few after the last one, `…;Erfasst am;;`) carries
            // nothing a field could be read from: ignored, as a column mapped to "-" is. A mapping file could not name it.
            if name.isEmpty { continue }
            let column = headerColumn(i)
            if let first = firstColumnOfHeader[name] {
                duplicate.append(.init(column: column, first: headerColumn(first)))
                continue
            }
            firstColumnOfHeader[name] = i
            let resolved = mapping.resolve(name)
            switch resolved?.target {
            case nil: unknown.append(column)
            case .ignored?: continue
            case .field(let f)?:
                if let other = index[f] {
                    let first = indexes[other]
                    duplicate.append(.init(column: column, first: headerColumn(first), field: f,
                                           columnMappedAt: resolved.flatMap { mapping.origins[$0.entry] },
                                           firstMappedAt: mapping.resolve(header[first]).flatMap { mapping.origins[$0.entry] }))
                    continue
                }
                index[f] = fields.count
                fields.append(f)
                indexes.append(i)
            }
        }
        if !unknown.isEmpty {
            // Nothing known at all: the first line is most likely a person's row (the header line lost), whose cells
            // must not go into a message (and the operator's log).
            if !header.contains(where: { mapping.resolve($0) != nil }) {
                let order = namedFirst.filter(required.contains) + required.subtracting(namedFirst).sorted()
                let expected = order.compactMap { field in mapping.targets.filter { $0.value == .field(field) }.map(\.key).sorted().first }
                throw DriveExportError.noHeaderLine(file: file, columns: header.count, expected: Array(expected.prefix(3)))
            }
            throw DriveExportError.unknownColumns(file: file, columns: unknown)
        }
        if !duplicate.isEmpty { throw DriveExportError.duplicateColumns(file: file, duplicates: duplicate) }
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
