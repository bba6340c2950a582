import Signing

/// A fingerprint of a record's content as sent to one partner, for idempotent exports: the job stores
/// (partner, case id) → fingerprint after a run and, next time, exports a record again only when its
/// fingerprint differs (a changed or new record) or when `--full` is asked for.
///
/// Definition (version 1): SHA-256 over the UTF-8 bytes
/// `consentgate/record-fingerprint/v1` 0x00, then for each (field id, value) pair sorted by field id
/// (byte order): the field id's length as 4-byte big-endian, the field id, the value's length as
/// 4-byte big-endian, the value. Values are taken exactly as exported (no trimming, no Unicode
/// normalisation), empty values included, so "a cell is now released but empty" changes nothing only
/// if the set of field ids is the same. Length prefixes make the encoding unambiguous. Result: 64
/// lower-case hex digits.
public enum RecordFingerprint {
    /// The domain-separation prefix (changes with the definition's version).
    public static let domain = "consentgate/record-fingerprint/v1"

    /// The fingerprint of field/value pairs (order does not matter; a field id must not repeat).
    public static func of(_ cells: [(field: String, value: String)]) -> String {
        var bytes: [UInt8] = Array(domain.utf8)
        bytes.append(0)
        let sorted = cells.sorted { Array($0.field.utf8).lexicographicallyPrecedes(Array($1.field.utf8)) }
        precondition(Set(sorted.map(\.field)).count == sorted.count, "field ids repeat in a fingerprint")
        for (field, value) in sorted {
            append(field, to: &bytes)
            append(value, to: &bytes)
        }
        return SHA256.hex(bytes)
    }

    /// The fingerprint of `record`'s cells for `fields` (a field the file lacks counts as empty).
    public static func of(_ record: RegistrationRecord, fields: [String]) -> String {
        of(fields.map { (field: $0, value: record[$0] ?? "") })
    }

    private static func append(_ s: String, to bytes: inout [UInt8]) {
        let n = UInt32(s.utf8.count)
        bytes.append(contentsOf: [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)])
        bytes.append(contentsOf: s.utf8)
    }
}
