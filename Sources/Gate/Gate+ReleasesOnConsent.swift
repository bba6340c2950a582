import AuditLog
import Foundation
import Signing
import StrictJSON

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
    /// Whether an export run carried them (its recipients are told of a withdrawal by the next export run itself).
    public var export: Bool = false
    /// The consent's lines (clause ids) the fields were released under, in order, without repeats.
    public var clauses: [String] = []
}

/// A partner that received data on a consent outside the export job (referrals: a check's released fields, a referral's
/// disclosure), with what and how: whoever made the referral owes it the notice of a withdrawal (GDPR Art. 19).
public struct ReferralRecipient: Sendable, Equatable {
    /// The partner id.
    public var partner: String
    /// The fields it received on the consent (or the withdrawn lines), in the order first released.
    public var fields: [String]
    /// The log entries of those releases, oldest first.
    public var entries: [Int64]
    /// The referral ids they name, in order, without repeats.
    public var referrals: [String]
    /// The consent's lines (clause ids) it received data under, sorted: what a notice to it is about.
    public var clauses: [String] = []
    /// The `erasure-notice` entries recording that the case manager told it of a withdrawal of the consent
    /// (`Gate.recordReferralNotice`) that cover some of `clauses`, oldest first; empty while nobody recorded that.
    public var notified: [Int64] = []
    /// The lines of `clauses` no recorded notice covers yet: it is still to be told of these (all of `clauses` until a
    /// notice is recorded; empty once told of everything). A notice of some lines does not cover lines withdrawn later.
    public var outstanding: [String] = []

    /// Whether every line it received data under is covered by a recorded notice.
    public var told: Bool { outstanding.isEmpty && !notified.isEmpty }

    /// As `consent withdraw --json` and the API's answer give it: `{partner, fields, entries, referrals, clauses,
    /// notified, outstanding}`.
    public var json: JSONValue {
        .object(["partner": .string(partner), "fields": JSONValue.strings(fields),
                 "entries": .array(entries.map { .int($0) }), "referrals": JSONValue.strings(referrals),
                 "clauses": JSONValue.strings(clauses), "notified": .array(notified.map { .int($0) }),
                 "outstanding": JSONValue.strings(outstanding)])
    }
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
    public func releases(onConsent id: String, subject: String, loggedFrom time: Date?, clauses: [String]? = nil) throws -> [ReleaseOnConsent] {
        func relied(_ c: ConsentReference?) -> Bool { c?.id == id && (clauses.map { $0.contains(c!.clause) } ?? true) }
        let query = AuditQuery(subject: subject, kinds: [.decision, .disclosure], since: time.map(RFC3339.format))
        return try auditLog.entries(matching: query).compactMap { stored in
            switch stored.entry.content {
            case let .decision(d):
                let released = d.fields.filter { $0.outcome == .permit && relied($0.consent) }
                return released.isEmpty ? nil : ReleaseOnConsent(index: stored.index, time: stored.entry.time, kind: .decision,
                                                                 partner: d.partner, fields: released.map(\.field), channel: d.referral,
                                                                 clauses: Self.lines(released.compactMap { $0.consent?.clause }))
            case let .disclosure(d):
                let released = d.fields.filter { relied($0.consent) }
                return released.isEmpty ? nil : ReleaseOnConsent(index: stored.index, time: stored.entry.time, kind: .disclosure,
                                                                 partner: d.partner, fields: released.map(\.field), channel: d.referral ?? d.exportRun,
                                                                 export: d.exportRun != nil,
                                                                 clauses: Self.lines(released.compactMap { $0.consent?.clause }))
            default:
                return nil
            }
        }
    }
}

extension Gate {
    /// `clauses` in order, without repeats.
    static func lines(_ clauses: [String]) -> [String] {
        var seen: Set<String> = []
        return clauses.filter { seen.insert($0).inserted }
    }
}

extension Gate {
    /// The partners that received data on consent `id` of `subject` (with `clauses`: under those lines) outside the export
    /// job, at any time, by partner in the order of their first release: the recipients of a withdrawal's notice (GDPR
    /// Art. 19) that the next export run does not tell. Shown when a withdrawal is recorded (`consent withdraw`, the API,
    /// the consent's page), so whoever made the referrals knows whom to tell (DPO review, session 35: nothing listed them).
    public func referralRecipients(onConsent id: String, subject: String, clauses: [String]? = nil) throws -> [ReferralRecipient] {
        var recipients: [ReferralRecipient] = []
        var position: [String: Int] = [:]
        for r in try releases(onConsent: id, subject: subject, loggedFrom: nil, clauses: clauses) where !r.export {
            let i = position[r.partner] ?? {
                recipients.append(ReferralRecipient(partner: r.partner, fields: [], entries: [], referrals: []))
                position[r.partner] = recipients.count - 1
                return recipients.count - 1
            }()
            for f in r.fields where !recipients[i].fields.contains(f) { recipients[i].fields.append(f) }
            recipients[i].entries.append(r.index)
            if let ref = r.channel, !recipients[i].referrals.contains(ref) { recipients[i].referrals.append(ref) }
            recipients[i].clauses = Array(Set(recipients[i].clauses + r.clauses)).sorted()
        }
        guard !recipients.isEmpty else { return recipients }
        let notices = try referralNotices(onConsent: id, subject: subject)
        for i in recipients.indices {
            // A notice about the whole consent (no lines) covers every line; one about lines covers those only.
            let mine = (notices[recipients[i].partner] ?? []).filter { n in n.clauses.map { !Set($0).isDisjoint(with: recipients[i].clauses) } ?? true }
            recipients[i].notified = mine.map(\.index)
            let whole = mine.contains { $0.clauses == nil }
            let covered = Set(mine.flatMap { $0.clauses ?? [] })
            recipients[i].outstanding = whole ? [] : recipients[i].clauses.filter { !covered.contains($0) }
        }
        return recipients
    }

    /// The recipients to list for a withdrawal of consent `id` just recorded: `clauses`, the lines it withdrew; nil for the
    /// whole consent, whose list leaves out the lines withdrawn singly before (their partners were listed then).
    public func referralRecipients(ofWithdrawalOf id: String, subject: String, clauses: [String]?) throws -> [ReferralRecipient] {
        if let clauses { return try referralRecipients(onConsent: id, subject: subject, clauses: clauses) }
        let status = try consents.show(id: id)
        let earlier = Set(status.withdrawnClauses.map(\.clause))
        guard !earlier.isEmpty else { return try referralRecipients(onConsent: id, subject: subject) }
        return try referralRecipients(onConsent: id, subject: subject, clauses: status.fact.clauses.filter { !earlier.contains($0) })
    }
}
