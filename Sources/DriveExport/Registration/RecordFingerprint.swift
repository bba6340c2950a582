import Signing

/// A fingerprint of a record's content as sent to one partner, for idempotent exports: the job stores
/// (partner, case id) → fingerprint after a run and, next time, exports a record again only when its
/// fingerprint differs (a changed or new record) or when `--full` is asked for.
///
/// Definition (version 1): SHA-256 over the bytes
/// `consentgate/record-fingerprint/v1` 0x00, then for each (field id, value) pair sorted by field id
/// (UTF-8 byte order): the field id's UTF-8 length as 4-byte big-endian, the field id, the value's
/// length as 4-byte big-endian, the value. Values are taken exactly as exported (no trimming, no
/// Unicode normalisation); empty values count. Length prefixes make the encoding unambiguous.
/// Result: 64 lower-case hex digits.
///
/// Make one per column set (the field ids are sorted and encoded once) and call `of(values:)` per record.
public struct RecordFingerprint: Sendable {
    /// The domain-separation prefix (changes with the definition's version).
    public static let domain = "consentgate/record-fingerprint/v1"

    /// The field ids, in the caller's order.
    public let fields: [String]
    /// Positions into `fields`, in sorted field id order, with each field id's encoded prefix.
    private let order: [(index: Int, encodedField: [UInt8])]

    /// A fingerprinter for records with these columns. Field ids must not repeat.
    public init(fields: [String]) {
        let sorted = fields.indices.sorted { fields[$0].utf8.lexicographicallyPrecedes(fields[$1].utf8) }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            precondition(!fields[a].utf8.elementsEqual(fields[b].utf8), "field id \(fields[a]) repeats in a fingerprint")
        }
        self.fields = fields
        self.order = sorted.map { i in
            var e: [UInt8] = []
            Self.appendLengthPrefixed(fields[i], to: &e)
            return (i, e)
        }
    }

    /// The fingerprint of one record's `values`, aligned with `fields`.
    public func of(values: [String]) -> String {
        precondition(values.count == fields.count, "\(values.count) values for \(fields.count) fields")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + order.reduce(0) { $0 + $1.encodedField.count + 4 + values[$1.index].utf8.count })
        bytes.append(contentsOf: Self.domain.utf8)
        bytes.append(0)
        for (index, encodedField) in order {
            bytes.append(contentsOf: encodedField)
            Self.appendLengthPrefixed(values[index], to: &bytes)
        }
        return SHA256.hex(bytes)
    }

    /// The fingerprint's 32 bytes (the same digest as `of(values:)`, not hex-encoded), built in `buffer` (reused
    /// between calls) and hashed with `hasher`: the export job's per-record path, without allocating per field.
    public func digest(values: [String], buffer: inout [UInt8], hasher: SHA256BufferHasher) -> [UInt8] {
        precondition(values.count == fields.count, "\(values.count) values for \(fields.count) fields")
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: Self.domain.utf8)
        buffer.append(0)
        for (index, encodedField) in order {
            buffer.append(contentsOf: encodedField)
            Self.appendLengthPrefixed(values[index], to: &buffer)
        }
        var out = [UInt8](repeating: 0, count: 32)
        hasher.begin()
        buffer.withUnsafeBytes { hasher.update($0) }
        out.withUnsafeMutableBytes { hasher.finish(into: $0) }
        return out
    }

    /// The fingerprint of `record`'s cells for this fingerprinter's fields (a field the file lacks counts as empty).
    public func of(_ record: RegistrationRecord) -> String {
        of(values: fields.map { record[$0] ?? "" })
    }

    /// The fingerprint of field/value pairs (order does not matter; a field id must not repeat).
    public static func of(_ cells: [(field: String, value: String)]) -> String {
        RecordFingerprint(fields: cells.map(\.field)).of(values: cells.map(\.value))
    }

    private static func appendLengthPrefixed(_ s: String, to bytes: inout [UInt8]) {
        let n = UInt32(s.utf8.count)
        bytes.append(UInt8(n >> 24)); bytes.append(UInt8((n >> 16) & 0xFF))
        bytes.append(UInt8((n >> 8) & 0xFF)); bytes.append(UInt8(n & 0xFF))
        bytes.append(contentsOf: s.utf8)
    }
}
