import Signing

/// A per-run secret that keys `IndexKeyFingerprint`: 128 bits from OpenSSL's DRBG, drawn when `verify`
/// starts, after the file was written, so nobody who edited the file can have aimed at a collision.
struct IndexFingerprintKey: @unchecked Sendable {
    /// A hasher that has absorbed the 128 secret bits; each value starts from a copy. (A plain value type;
    /// `@unchecked` only because the standard library does not declare `Hasher` `Sendable`.)
    private let keyed: Hasher

    /// A fresh key.
    static func fresh() throws -> IndexFingerprintKey {
        let r = try SecureRandom.bytes(16)
        var h = Hasher()
        r.withUnsafeBytes { h.combine(bytes: $0) }
        return IndexFingerprintKey(keyed: h)
    }

    /// The keyed 64-bit value of one (row, key) pair: the standard library's SipHash (seeded per process)
    /// over the secret, the row and the key bytes. The row comes first at a fixed width, so distinct pairs
    /// are distinct inputs.
    func value(row: Int64, key: UnsafeRawBufferPointer) -> UInt64 {
        var h = keyed
        h.combine(row)
        h.combine(bytes: key)
        return UInt64(bitPattern: Int64(h.finalize()))
    }
}

/// An order-independent fingerprint of the (row, key) pairs an index holds: how many, and the sum of their
/// keyed values. Built once from the table's (verified) columns and once from a scan of the index b-tree;
/// if the two differ, the index no longer lists exactly the table's rows. Pairs are distinct on both sides
/// (row ids are unique in the table, and the index scan insists on strictly ascending pairs), so two
/// different sets agree only by a chance of about 2⁻⁶⁴.
struct IndexKeyFingerprint: Sendable, Equatable {
    var count: Int64 = 0
    var sum: UInt64 = 0

    mutating func add(row: Int64, key: UnsafeRawBufferPointer, using k: IndexFingerprintKey) {
        count += 1
        sum &+= k.value(row: row, key: key)
    }

    static func + (l: IndexKeyFingerprint, r: IndexKeyFingerprint) -> IndexKeyFingerprint {
        IndexKeyFingerprint(count: l.count + r.count, sum: l.sum &+ r.sum)
    }
}

/// The fingerprints of the audit log's secondary indexes: `audit_entry_subject` (rows with a subject),
/// `audit_entry_time` (every row) and `audit_entry_uncommon_kind` (the rows neither a decision nor a disclosure, keyed
/// by their kind).
/// `verify` adds every row's columns on whichever thread checks them.
struct AuditIndexFingerprints: Sendable, Equatable {
    var subject = IndexKeyFingerprint()
    var time = IndexKeyFingerprint()
    var uncommonKind = IndexKeyFingerprint()

    /// The kinds the partial index `audit_entry_uncommon_kind` leaves out.
    private static let commonKinds: [[UInt8]] = AuditLogSchema.commonKinds.map { Array($0.rawValue.utf8) }

    /// Adds a row's pairs: its subject (when it has one), its time, and its kind when it is neither a decision nor a
    /// disclosure.
    mutating func add(row: Int64, columns: some IndexColumnValues, using k: IndexFingerprintKey) {
        if let s = columns.text(IndexColumn.subject) { subject.add(row: row, key: s, using: k) }
        if let t = columns.text(IndexColumn.time) { time.add(row: row, key: t, using: k) }
        if let kind = columns.text(IndexColumn.kind), !Self.commonKinds.contains(where: { $0.elementsEqual(kind) }) {
            uncommonKind.add(row: row, key: kind, using: k)
        }
    }

    static func + (l: AuditIndexFingerprints, r: AuditIndexFingerprints) -> AuditIndexFingerprints {
        AuditIndexFingerprints(subject: l.subject + r.subject, time: l.time + r.time, uncommonKind: l.uncommonKind + r.uncommonKind)
    }
}
