import Diagnostics
import Foundation
import StrictJSON

/// The answer to a data subject's access request under GDPR Art. 15(1)(c): every recipient the
/// person's data went to, when, for which purpose, which fields, and on which legal basis, drawn from
/// `disclosure` entries and from `decision` entries that released fields (referrals); beside them the
/// person's consents as recorded and withdrawn (the grounds of disclosures on consent) and the erasure
/// notices sent to recipients (Art. 19). Only entries about this subject are used.
public struct SubjectReport: Sendable, Equatable {
    /// One passing of data to a recipient.
    public struct Disclosure: Sendable, Equatable {
        /// The log entry it comes from.
        public var index: Int64
        /// The entry's time (RFC 3339 UTC, whole seconds).
        public var time: String
        /// The recipient's partner id.
        public var partner: String
        /// The purpose id the data went for.
        public var purpose: String
        /// `export`, `referral` or `decision` (released by a logged decision without a separate disclosure).
        public var channel: String
        /// Export run id or referral id, if any.
        public var reference: String?
        /// The fields that went, each with its legal basis (never their values).
        public var fields: [DisclosedField]
        /// For a decision made for another moment than when it was made (`check --at`, the API's `at`): that moment
        /// (RFC 3339 UTC); nil when it was decided for its own time (within `asOfTolerance`). A back-dated check is
        /// listed as what it was, a check of the state at that moment made on `time`, not as a release on `time`: before,
        /// a check "as of" a day before a withdrawal read in the report as a release after it, on the withdrawn line.
        public var asOf: String? = nil
        /// The digest of the policy the entry was decided or disclosed under (its `policy-digest`), if it names one.
        public var policyDigest: String? = nil
        /// That policy's version: the decision's own `policy-version`, else the archived bundle's; nil when neither is known.
        public var policyVersion: String? = nil
        /// Withdrawals of a consent this row's fields went on that had taken effect by its moment (`asOf`, else `time`):
        /// fields that went out without a legal basis (GDPR Art. 7(3)). A withdrawal recorded after the row but dated
        /// before it (a letter entered late, `consent withdraw --at`) is found here; before, the report named the consent as
        /// the basis of such a row, and only `consent withdraw` itself warned, once (DPO review, session 35).
        public var afterWithdrawal: [WithdrawalInEffect] = []
    }

    /// A withdrawal in effect at a disclosure's moment, on a consent some of its fields went on.
    public struct WithdrawalInEffect: Sendable, Equatable {
        /// The withdrawal's log entry.
        public var entry: Int64
        /// The consent withdrawn.
        public var consent: String
        /// The lines withdrawn (empty: the whole consent).
        public var clauses: [String]
        /// From when the withdrawal counts (RFC 3339 UTC).
        public var withdrawnAt: String
        /// When it was recorded: its entry's time (RFC 3339 UTC).
        public var recordedAt: String
        /// The disclosure's fields that went on the withdrawn consent or lines.
        public var fields: [String]

        /// Creates the item; `clauses` empty for a withdrawal of the whole consent.
        public init(entry: Int64, consent: String, clauses: [String], withdrawnAt: String, recordedAt: String, fields: [String]) {
            self.entry = entry; self.consent = consent; self.clauses = clauses
            self.withdrawnAt = withdrawnAt; self.recordedAt = recordedAt; self.fields = fields
        }
    }

    /// What the report knows of a policy the entries name, from the archive of every policy in force: its version, and
    /// the names it gave partners, purposes, fields and consent lines, so each row is named as the policy of its time
    /// named things (a partner renamed or a field dropped since reads as it did then).
    public struct PolicyNames: Sendable, Equatable {
        /// The bundle's version.
        public var version: String
        /// Its names.
        public var labels: ReportLabels
        /// Creates the entry for one archived policy.
        public init(version: String, labels: ReportLabels) { self.version = version; self.labels = labels }
    }

    /// How far a decision's own time (`at`) may lie from its entry's time and still count as decided for now: the
    /// clocks of API callers that send `at` as their "now".
    public static let asOfTolerance: TimeInterval = 60

    /// A consent of the person recorded or withdrawn: the grounds of the disclosures made on consent (Art. 15(1)
    /// lets the person see them beside the recipients; Art. 7(3): a withdrawal stops later disclosures).
    public struct ConsentEvent: Sendable, Equatable {
        /// The log entry it comes from.
        public var index: Int64
        /// The entry's time (RFC 3339 UTC, whole seconds): when it was recorded.
        public var time: String
        /// `granted` or `withdrawn`.
        public var event: String
        /// The consent's id (a UUID).
        public var consent: String
        /// The granted clauses (granted); the withdrawn lines of a withdrawal of single clauses (withdrawn; empty when
        /// the whole consent was withdrawn).
        public var clauses: [String]
        /// Validity of a granted consent, `[granted-at, expires-at)`; the time of a withdrawal.
        public var grantedAt: String?
        /// End of a granted consent's validity (RFC 3339 UTC, exclusive); nil for a withdrawal.
        public var expiresAt: String?
        /// From when a withdrawn consent stopped releasing (RFC 3339 UTC); nil for a grant.
        public var withdrawnAt: String?
        /// The template the consent was signed on, and its version: from the grant's entry (for a withdrawal, from the
        /// grant of the same consent in the report), so that its lines can be named by their wording; nil when the
        /// report holds no grant of it.
        public var template: String? = nil
        /// The version of `template`.
        public var templateVersion: Int64? = nil
    }

    /// Recipients told to erase the person's data (GDPR Art. 19: the controller tells the data subject about
    /// them on request).
    public struct ErasureNotice: Sendable, Equatable {
        /// The log entry it comes from.
        public var index: Int64
        /// The entry's time (RFC 3339 UTC, whole seconds): when the notice was logged.
        public var time: String
        /// Why (`consent-withdrawn:<id>`, …).
        public var reason: String
        /// The partners notified.
        public var notify: [String]
        /// The withdrawn lines (clause ids) the notice named, when it was about single lines of the consent; nil for a
        /// notice about the whole consent.
        public var clauses: [String]? = nil
        /// `referral` when a case manager recorded telling a referral's recipient; nil for the export job's notices.
        public var channel: String? = nil
        /// When the case manager told them, when recorded later (RFC 3339 UTC); nil when `time` is when.
        public var toldAt: String? = nil

        /// When the recipients were told: `toldAt`, else the entry's time.
        public var toldTime: String { toldAt ?? time }
    }

    /// The subject's case id the report answers for.
    public var subject: String
    /// When the report was drawn (RFC 3339 UTC, whole seconds).
    public var generatedAt: String
    /// Every passing of the person's data, in log order (a referral disclosed separately is listed once).
    public var disclosures: [Disclosure]
    /// The person's consents as the log recorded them, in log order.
    public var consents: [ConsentEvent]
    /// The erasure notices sent about the person, in log order.
    public var erasureNotices: [ErasureNotice]
    /// The latest checkpoint note the report was drawn from (ties the report to the signed log).
    public var checkpoint: String?
    /// The English text of each canonical citation the report names, where the policies of the entries give one
    /// (`citation: {de, en}`): entries and decisions name the canonical (German) text, the report in English shows
    /// this. A canonical text the policies translate differently (an English text reworded in a later policy) has
    /// none here and shows as it stands, as does one whose policy is not known.
    public var englishCitations: [String: String] = [:]
    /// The policies the entries name, by digest (`PolicyNames`); empty when not given.
    public var policies: [String: PolicyNames] = [:]

    /// Builds the report from the subject's entries (any kinds; irrelevant ones are skipped). A `decision` entry
    /// logs each permitted field's rule but not the norm it cites (a `disclosure` entry does): `citations` gives,
    /// by policy digest and rule id, the citations of the policies the entries name (`Gate.RuleCitations`: the
    /// canonical text as `de`, the English one as `en`), so that a referral released by statute names its statute
    /// too, and the report in English reads each citation in English where the policy gives it so. `policies` gives the
    /// version and names of the policies the entries name, by digest (`Gate.RuleCitations`).
    public init(subject: String, entries: [StoredEntry], generatedAt: Date = Date(), checkpoint: String? = nil,
                citations: [String: [String: LocalizedText]] = [:], policies: [String: PolicyNames] = [:]) {
        self.subject = subject
        self.policies = policies
        englishCitations = Self.englishCitations(citations)
        self.generatedAt = AuditTime.format(generatedAt)
        self.checkpoint = checkpoint
        var list: [Disclosure] = []
        var consents: [ConsentEvent] = []
        var notices: [ErasureNotice] = []
        let disclosedReferrals = Set(entries.compactMap { e -> String? in
            if case let .disclosure(d) = e.entry.content { return d.referral }; return nil
        })
        for e in entries {
            switch e.entry.content {
            case let .disclosure(d) where d.subject == subject:
                list.append(Disclosure(index: e.index, time: e.entry.time, partner: d.partner, purpose: d.purpose,
                                       channel: d.exportRun != nil ? "export" : "referral", reference: d.exportRun ?? d.referral,
                                       fields: d.fields, policyDigest: e.entry.policyDigest,
                                       policyVersion: e.entry.policyDigest.flatMap { policies[$0]?.version }))
            case let .decision(d) where d.subject == subject && !d.released.isEmpty:
                if let r = d.referral, disclosedReferrals.contains(r) { continue }
                let fields = d.fields.filter { $0.outcome == .permit }.map { f in
                    DisclosedField(field: f.field, basis: f.consent == nil ? .statute : .consent, rule: f.rule,
                                   citation: f.rule.flatMap { rule in e.entry.policyDigest.flatMap { citations[$0]?[rule]?.de } },
                                   consent: f.consent)
                }
                list.append(Disclosure(index: e.index, time: e.entry.time, partner: d.partner, purpose: d.purpose,
                                       channel: d.referral == nil ? "decision" : "referral", reference: d.referral, fields: fields,
                                       asOf: Self.asOf(decidedFor: d.at, loggedAt: e.entry.time), policyDigest: e.entry.policyDigest,
                                       policyVersion: d.policyVersion ?? e.entry.policyDigest.flatMap { policies[$0]?.version }))
            case let .consentGranted(g) where g.subject == subject:
                consents.append(ConsentEvent(index: e.index, time: e.entry.time, event: "granted", consent: g.consentID, clauses: g.clauses,
                                             grantedAt: g.grantedAt, expiresAt: g.expiresAt, template: g.templateID,
                                             templateVersion: g.templateVersion))
            case let .consentWithdrawn(w) where w.subject == subject:
                consents.append(ConsentEvent(index: e.index, time: e.entry.time, event: "withdrawn", consent: w.consentID, clauses: w.clauses ?? [],
                                             withdrawnAt: w.withdrawnAt))
            case let .erasureNotice(n) where n.subject == subject:
                notices.append(ErasureNotice(index: e.index, time: e.entry.time, reason: n.reason, notify: n.notify, clauses: n.clauses,
                                             channel: n.channel, toldAt: n.toldAt))
            default: continue
            }
        }
        disclosures = Self.markingWithdrawals(list, consents: consents)
        self.consents = Self.withTemplatesOfWithdrawals(consents)
        erasureNotices = notices
    }

    /// The report as JSON (`report-version` 1).
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "report-version": .int(1), "type": .string("gdpr-art-15-1-c"), "subject": .string(subject),
            "generated-at": .string(generatedAt),
            "recipients": .array(disclosures.map { d in
                var r: [String: JSONValue] = [
                    "entry": .int(d.index), "time": .string(d.time), "partner": .string(d.partner), "purpose": .string(d.purpose),
                    "channel": .string(d.channel), "fields": .array(d.fields.map(\.json)),
                ]
                if let ref = d.reference { r["reference"] = .string(ref) }
                if let asOf = d.asOf { r["as-of"] = .string(asOf) }
                if let digest = d.policyDigest {
                    var policy: [String: JSONValue] = ["digest": .string(digest)]
                    if let version = d.policyVersion { policy["version"] = .string(version) }
                    r["policy"] = .object(policy)
                }
                if !d.afterWithdrawal.isEmpty { r["after-withdrawal"] = .array(d.afterWithdrawal.map(\.json)) }
                return .object(r)
            }),
        ]
        o["consents"] = .array(consents.map { c in
            var r: [String: JSONValue] = ["entry": .int(c.index), "time": .string(c.time), "event": .string(c.event), "consent": .string(c.consent)]
            // Granted: the clauses; withdrawn: the lines withdrawn, when not the whole consent.
            if c.event == "granted" || !c.clauses.isEmpty { r["clauses"] = .array(c.clauses.map(JSONValue.string)) }
            if let v = c.grantedAt { r["granted-at"] = .string(v) }
            if let v = c.expiresAt { r["expires-at"] = .string(v) }
            if let v = c.withdrawnAt { r["withdrawn-at"] = .string(v) }
            return .object(r)
        })
        o["erasure-notices"] = .array(erasureNotices.map { n in
            var r: [String: JSONValue] = ["entry": .int(n.index), "time": .string(n.time), "reason": .string(n.reason),
                                          "notify": .array(n.notify.map(JSONValue.string))]
            // The lines a notice of single lines named; absent for a notice about the whole consent.
            if let clauses = n.clauses { r["clauses"] = .array(clauses.map(JSONValue.string)) }
            // How the recipients were told, when a case manager recorded it (`referral`); absent for the export job's.
            if let channel = n.channel { r["channel"] = .string(channel) }
            // When the case manager told them, when recorded later than that.
            if let toldAt = n.toldAt { r["told-at"] = .string(toldAt) }
            return .object(r)
        })
        if let checkpoint { o["checkpoint"] = .string(checkpoint) }
        return .object(o)
    }
}
