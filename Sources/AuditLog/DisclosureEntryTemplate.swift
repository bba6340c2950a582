import StrictJSON
/// Builds the canonical bytes of many `disclosure` entries of one export run to one partner (grouped layout)
/// by splicing: every part that is the same for the whole run (actor, time, policy digest, partner, purpose,
/// run id) is encoded once, each distinct `released` array once by the caller (`released(_:)`), and per
/// record only the subject and municipality are encoded. The bytes are exactly
/// `AuditEntry(…, content: .disclosure(DisclosureRecord(…, groups:, exportRun:))).canonicalBytes()`
/// (tested), so the export job can rebuild a run's entries from compact staged rows, at logging time and
/// when a killed run is recovered, without building an `AuditEntry` per record.
public struct DisclosureEntryTemplate: Sendable {
    /// The entry time as written (RFC 3339 UTC, whole seconds).
    public let time: String
    /// The actor of every entry of the run (the export job).
    public let actor: String
    /// The `sha256:` digest of the policy bundle the run decided with, when one was loaded.
    public let policyDigest: String?
    /// The partner id the run's records went to.
    public let partner: String
    /// The purpose id of the export profile.
    public let purpose: String
    /// The export run id every entry names (`export-run`).
    public let exportRun: String
    /// `{"actor":…,"content":{"export-run":…,"partner":…,"purpose":…,"released":`
    private let head: [UInt8]
    /// `"policy-digest":…,"time":…}` (after the optional municipality).
    private let tail: [UInt8]

    /// Encodes the parts shared by every entry of the run; throws when `time` is not RFC 3339 UTC with whole seconds.
    public init(time: String, actor: String, policyDigest: String?, partner: String, purpose: String, exportRun: String) throws {
        guard AuditTime.isValid(time) else {
            throw AuditLogError.invalidEntry(field: "time", reason: "\"\(time)\" is not YYYY-MM-DDTHH:MM:SSZ")
        }
        self.time = time; self.actor = actor; self.policyDigest = policyDigest
        self.partner = partner; self.purpose = purpose; self.exportRun = exportRun
        var h: [UInt8] = Array("{\"actor\":".utf8)
        CanonicalJSON.writeString(actor, into: &h)
        h += Array(",\"content\":{\"export-run\":".utf8); CanonicalJSON.writeString(exportRun, into: &h)
        h += Array(",\"partner\":".utf8); CanonicalJSON.writeString(partner, into: &h)
        h += Array(",\"purpose\":".utf8); CanonicalJSON.writeString(purpose, into: &h)
        h += Array(",\"released\":".utf8)
        head = h
        var t: [UInt8] = []
        if let policyDigest { t += Array("\"policy-digest\":".utf8); CanonicalJSON.writeString(policyDigest, into: &t); t.append(0x2C) }
        t += Array("\"time\":".utf8); CanonicalJSON.writeString(time, into: &t); t.append(0x7D)
        tail = t
    }

    /// The canonical bytes of a `released` array (the grouped layout's field groups), to pass to `entry`.
    public static func released(_ groups: [DisclosedFieldGroup]) -> [UInt8] {
        var w = CanonicalWriter(capacity: 256)
        w.beginArray(); for g in groups { g.write(to: &w) }; w.endArray()
        return w.bytes
    }

    /// The canonical bytes of one record's entry: `released` from `released(_:)`.
    public func entryBytes(subject: String, municipality: String?, released: [UInt8]) -> [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(head.count + released.count + tail.count + 96 + subject.utf8.count)
        b += head
        b += released
        b += Self.subjectKey
        CanonicalJSON.writeString(subject, into: &b)
        b += Self.middle
        if let municipality {
            b += Self.municipalityKey
            CanonicalJSON.writeString(municipality, into: &b)
            b.append(0x2C)
        }
        b += tail
        return b
    }

    /// The stored form of one record's entry (bytes and index columns) for `AuditLogStore.append(encoded:)`.
    public func encoded(subject: String, municipality: String?, released: [UInt8], fieldCount: Int) -> EncodedAuditEntry {
        EncodedAuditEntry(canonicalBytes: entryBytes(subject: subject, municipality: municipality, released: released),
                          kind: .disclosure, time: time, actor: actor, municipality: municipality, subject: subject,
                          partner: partner, purpose: purpose, releasedFieldCount: fieldCount)
    }

    private static let subjectKey: [UInt8] = Array(",\"subject\":".utf8)
    private static let middle: [UInt8] = Array("},\"entry-version\":1,\"kind\":\"disclosure\",".utf8)
    private static let municipalityKey: [UInt8] = Array("\"municipality\":".utf8)
}
