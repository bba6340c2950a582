import AuditLog
import Foundation
import Signing

/// A release the audit log records that relied on one consent: a decision's permitted fields or a disclosure's fields
/// passed on that consent.
public struct ReleaseOnConsent: Sendable, Equatable {
    /// The entry's index in the audit log.
    public var index: Int64
    /// When it was logged (RFC 3339, UTC).
    public var time: String
    /// `decision` (a referral check) or `disclosure` (an export or a referral that passed data).
    public var kind: AuditEntryKind
    /// The partner id the fields went (or were released) to.
    public var partner: String
    /// The fields released on the consent.
    public var fields: [String]
    /// The referral id or export run id that carried them, if the entry names one.
    public var channel: String?
}

extension Gate {
    /// The releases logged at or after `time` that relied on consent `id` of `subject`, oldest first; with `clauses`,
    /// only fields released under one of those lines (a withdrawal of single clauses leaves the others' releases sound).
    ///
    /// Why: a withdrawal is often typed in days after the person's letter (`consent withdraw --at`). Data released on
    /// the consent between the withdrawal and its recording went out without a basis: the DPO must learn of it (GDPR
    /// Art. 33 assessment) and the recipients must be told (Art. 19). Found in a domain review: such a back-dated
    /// withdrawal was accepted without a word, and nothing else pointed at those releases. Reads the person's entries
    /// only (the subject index).
    public func releases(onConsent id: String, subject: String, loggedFrom time: Date, clauses: [String]? = nil) throws -> [ReleaseOnConsent] {
        func relied(_ c: ConsentReference?) -> Bool { c?.id == id && (clauses.map { $0.contains(c!.clause) } ?? true) }
        let query = AuditQuery(subject: subject, kinds: [.decision, .disclosure], since: RFC3339.format(time))
        return try auditLog.entries(matching: query).compactMap { stored in
            switch stored.entry.content {
            case let .decision(d):
                let fields = d.fields.filter { $0.outcome == .permit && relied($0.consent) }.map(\.field)
                return fields.isEmpty ? nil : ReleaseOnConsent(index: stored.index, time: stored.entry.time, kind: .decision,
                                                               partner: d.partner, fields: fields, channel: d.referral)
            case let .disclosure(d):
                let fields = d.fields.filter { relied($0.consent) }.map(\.field)
                return fields.isEmpty ? nil : ReleaseOnConsent(index: stored.index, time: stored.entry.time, kind: .disclosure,
                                                               partner: d.partner, fields: fields, channel: d.referral ?? d.exportRun)
            default:
                return nil
            }
        }
    }
}
