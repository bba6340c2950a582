import AuditLog
import ConsentRecords
import Diagnostics
import Foundation

extension Gate {
    /// Records that the case manager told `partner`, which received data on consent `id` by referral, of the consent's
    /// withdrawal (GDPR Art. 19): an `erasure-notice` entry with `channel: referral`, the withdrawn lines when only lines
    /// were withdrawn. Returns the entry's index.
    ///
    /// Why: the export job tells its own recipients and logs it; a withdrawal lists the referral recipients whom the case
    /// manager must tell (`referralRecipients`), but nothing recorded that they were told, so the list never shrank and
    /// the person's Art. 15 report showed only the export's notices (found in the DPO's review of a year, session 35).
    ///
    /// Refused (nothing logged): a consent that is not withdrawn, wholly or in lines (`referralNoticeNotWithdrawn`), and a
    /// partner that received no data by referral under what was withdrawn (`notAReferralRecipient`, naming those that
    /// did). `admit` is the caller's access rule on the person as stored (a case worker's municipality).
    @discardableResult
    public func recordReferralNotice(consentID id: String, partner: String, actor: Actor, now: Date = Date(),
                                     admitting admit: (_ stored: Subject?) throws -> Void = { _ in }) throws -> Int64 {
        try GateError.requireNoNUL(id, field: "consent")
        try GateError.requireNoNUL(partner, field: "partner")
        guard let record = try consents.record(id: id) else { throw ConsentError.unknownConsent(id: id) }
        try admit(try subject(id: record.subject))
        let status = try consents.show(id: id, now: now)
        let lines = status.withdrawnClauses.map(\.clause).sorted()
        let whole = status.withdrawnAtOnRecord != nil
        guard whole || !lines.isEmpty else { throw GateError.referralNoticeNotWithdrawn(consent: id) }
        let recipients = try referralRecipients(onConsent: id, subject: record.subject, clauses: whole ? nil : lines)
        guard recipients.contains(where: { $0.partner == partner }) else {
            throw GateError.notAReferralRecipient(consent: id, partner: partner, recipients: recipients.map(\.partner))
        }
        let notice = ErasureNoticeRecord(subject: record.subject, reason: ErasureNoticeRecord.consentWithdrawnReason(id), notify: [partner],
                                         clauses: whole ? nil : lines, channel: ErasureNoticeRecord.referralChannel)
        return try self.record(.erasureNotice(notice), actor: actor, at: now)
    }

    /// The entries recording that a case manager told each partner of a withdrawal of consent `id` of `subject`
    /// (`recordReferralNotice`), by partner, oldest first.
    func referralNotices(onConsent id: String, subject: String) throws -> [String: [Int64]] {
        let reason = ErasureNoticeRecord.consentWithdrawnReason(id)
        var out: [String: [Int64]] = [:]
        for stored in try auditLog.entries(matching: AuditQuery(subject: subject, kinds: [.erasureNotice])) {
            guard case let .erasureNotice(n) = stored.entry.content, n.reason == reason, n.channel == ErasureNoticeRecord.referralChannel
            else { continue }
            for partner in n.notify { out[partner, default: []].append(stored.index) }
        }
        return out
    }
}
