import Foundation
import StrictJSON

/// The kinds of audit entries (CONTRACTS §6). The raw value is the `kind` member of the entry.
public enum AuditEntryKind: String, Sendable, CaseIterable, Codable {
    case decision, disclosure
    case consentGranted = "consent-granted"
    case consentWithdrawn = "consent-withdrawn"
    case policyLoaded = "policy-loaded"
    case exportRun = "export-run"
    case erasureNotice = "erasure-notice"
    case keyEvent = "key-event"
    case accountEvent = "account-event"
    case auditRead = "audit-read"
}

/// One audit log entry: who did what, when, under which policy, and the kind-specific content.
///
/// Serialized as RFC 8785 canonical JSON; those bytes are the Merkle leaf. Entries carry field ids,
/// never field values. Layout (members sorted by the canonical encoder):
/// `{"actor", "content": {...}, "entry-version": 1, "kind", "municipality"?, "policy-digest"?, "time"}`.
public struct AuditEntry: Sendable, Equatable {
    /// The entry format version written into every entry.
    public static let formatVersion: Int64 = 1

    /// When it happened: RFC 3339 UTC with whole seconds (see `AuditTime`).
    public var time: String
    /// The user id (case manager, DPO) or job name (`export-job`, `web-service`) that caused it.
    public var actor: String
    /// The municipality the actor works for or the case belongs to, where known.
    public var municipality: String?
    /// The `sha256:` digest of the policy bundle in force, where one was loaded.
    public var policyDigest: String?
    /// What happened.
    public var content: AuditContent

    /// The kind, from the content.
    public var kind: AuditEntryKind { content.kind }

    /// Creates an entry stamped with `time` (formatted as RFC 3339 UTC, whole seconds).
    public init(time: Date = Date(), actor: String, municipality: String? = nil, policyDigest: String? = nil,
                content: AuditContent) {
        self.time = AuditTime.format(time)
        self.actor = actor
        self.municipality = municipality
        self.policyDigest = policyDigest
        self.content = content
    }

    /// Creates an entry with an already formatted time; throws unless it is RFC 3339 UTC, whole seconds.
    public init(timeText: String, actor: String, municipality: String? = nil, policyDigest: String? = nil,
                content: AuditContent) throws {
        guard AuditTime.isValid(timeText) else {
            throw AuditLogError.invalidEntry(field: "time", reason: "\"\(timeText)\" is not YYYY-MM-DDTHH:MM:SSZ")
        }
        self.time = timeText
        self.actor = actor
        self.municipality = municipality
        self.policyDigest = policyDigest
        self.content = content
    }

    /// The entry as a JSON value.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "entry-version": .int(Self.formatVersion), "kind": .string(kind.rawValue), "time": .string(time),
            "actor": .string(actor), "content": content.json,
        ]
        if let municipality { o["municipality"] = .string(municipality) }
        if let policyDigest { o["policy-digest"] = .string(policyDigest) }
        return .object(o)
    }

    /// The RFC 8785 canonical bytes: the Merkle leaf (written directly, without building `json`).
    public func canonicalBytes() -> [UInt8] {
        var w = CanonicalWriter()
        write(to: &w)
        return w.bytes
    }

    /// Reads an entry from its stored bytes. `context` (e.g. `entry 41`) names it in errors.
    public init(bytes: [UInt8], context: String) throws {
        let r = try JSONObjectReader(JSONParser.parse(bytes, context: context), context: context)
        let version = try r.int("entry-version")
        guard version == Self.formatVersion else {
            throw AuditLogError.malformedEntry(context: context, reason: "unknown entry-version \(version)")
        }
        let kindText = try r.string("kind")
        guard let kind = AuditEntryKind(rawValue: kindText) else {
            throw AuditLogError.malformedEntry(context: context, reason: "unknown kind \"\(kindText)\"")
        }
        time = try r.string("time")
        actor = try r.string("actor")
        municipality = try r.optionalString("municipality")
        policyDigest = try r.optionalString("policy-digest")
        content = try AuditContent(kind: kind, reader: r.object("content"))
    }

    /// The subject (case id) the entry concerns, if any: indexed for queries and reports.
    public var subject: String? { content.subject }
    /// The partner agency concerned, if any.
    public var partner: String? { content.partner }
    /// The purpose concerned, if any.
    public var purpose: String? { content.purpose }
}
