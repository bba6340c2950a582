import Foundation

/// An audit entry already in its stored form: the RFC 8785 canonical bytes (the Merkle leaf) plus the
/// index columns the log keeps beside them (kind, time, actor, municipality, subject, partner, purpose,
/// released field count).
///
/// Why: a job that stages entries (the export job keeps each disclosure's canonical bytes with its
/// ledger row so memory stays flat) can append them later without parsing the bytes back into an
/// `AuditEntry` and encoding them again. Make one with `init(_:)` from an `AuditEntry` (the bytes are
/// then its `canonicalBytes()`); `init(canonicalBytes:...)` is for bytes made that way earlier, with the
/// same entry's columns.
public struct EncodedAuditEntry: Sendable, Equatable {
    /// The entry's canonical bytes, exactly as they are hashed and stored.
    public var bytes: [UInt8]
    /// The entry's kind.
    public var kind: AuditEntryKind
    /// The entry's time (RFC 3339 UTC, whole seconds).
    public var time: String
    /// The entry's actor.
    public var actor: String
    /// The entry's municipality, if any.
    public var municipality: String?
    /// The subject the entry concerns, if any.
    public var subject: String?
    /// The partner concerned, if any.
    public var partner: String?
    /// The purpose concerned, if any.
    public var purpose: String?
    /// Fields released (decision) or disclosed (disclosure); nil for other kinds.
    public var releasedFieldCount: Int?

    /// The stored form of `entry`: its canonical bytes and its index columns.
    public init(_ entry: AuditEntry) {
        self.init(canonicalBytes: entry.canonicalBytes(), columnsOf: entry)
    }

    /// Bytes that are the `canonicalBytes()` of `entry`, encoded earlier, with that entry's index columns.
    public init(canonicalBytes: [UInt8], columnsOf entry: AuditEntry) {
        self.init(canonicalBytes: canonicalBytes, kind: entry.kind, time: entry.time, actor: entry.actor,
                  municipality: entry.municipality, subject: entry.subject, partner: entry.partner,
                  purpose: entry.purpose, releasedFieldCount: entry.content.releasedFieldCount)
    }

    /// Canonical bytes made earlier by `AuditEntry.canonicalBytes()` and the index columns of that same
    /// entry. The caller vouches that they belong together: the log hashes and stores `canonicalBytes`
    /// as given (so `verify` covers exactly them); the columns only serve queries and reports.
    public init(canonicalBytes: [UInt8], kind: AuditEntryKind, time: String, actor: String, municipality: String?,
                subject: String?, partner: String?, purpose: String?, releasedFieldCount: Int?) {
        self.bytes = canonicalBytes; self.kind = kind; self.time = time; self.actor = actor
        self.municipality = municipality; self.subject = subject; self.partner = partner; self.purpose = purpose
        self.releasedFieldCount = releasedFieldCount
    }
}
