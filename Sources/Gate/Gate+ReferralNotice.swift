import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import Signing

extension Gate {
    /// Records that the case manager told `partner`, which received data on consent `id` by referral, of the consent's
    /// withdrawal (GDPR Art. 19): an `erasure-notice` entry with `channel: referral`, the withdrawn lines when only lines
    /// were withdrawn. Returns the entry's index.
    ///
    /// Why: the export job tells its own recipients and logs it; a withdrawal lists the referral recipients whom the case
    /// manager must tell (`referralRecipients`), but nothing recorded that they were told, so the list never shrank and
    /// the person's Art. 15 report showed only the export's notices (found in the DPO's review of a year, session 35).
    ///
    /// Refused (nothing logged): a consent that is not withdrawn, wholly or in lines (`referralNoticeNotWithdrawn`), a
    /// partner that received no data by referral under what was withdrawn (`notAReferralRecipient`, naming those that
    /// did), one already recorded as told of all of it (`referralNoticeAlreadyRecorded`), and a time `when` the partner
    /// was told (if earlier than now: the Art. 15 report shows it) in the future or before the withdrawal took effect
    /// (`referralNoticeTime`, `referralNoticeDay`). `admit` is the caller's access rule on the person as stored (a case worker's municipality).
    @discardableResult
    public func recordReferralNotice(consentID id: String, partner: String, told when: ReferralNoticeTime = .now, actor: Actor, now: Date = Date(),
                                     admitting admit: (_ stored: Subject?) throws -> Void = { _ in }) throws -> Int64 {
        try GateError.requireNoNUL(id, field: "consent")
        try GateError.requireNoNUL(partner, field: "partner")
        // The municipality the entry records for the case manager is one of the county's (a typo would stand in the log).
        if let place = actor.municipality { try GateError.requireMunicipality(place, of: policy.bundle.countyMunicipalities, field: "municipality") }
        guard let record = try consents.record(id: id) else { throw ConsentError.unknownConsent(id: id) }
        try admit(try subject(id: record.subject))
        let status = try consents.show(id: id, now: now)
        let lines = status.withdrawnClauses.map(\.clause).sorted()
        let whole = status.withdrawnAtOnRecord != nil
        guard whole || !lines.isEmpty else { throw GateError.referralNoticeNotWithdrawn(consent: id) }
        let recipients = try referralRecipients(onConsent: id, subject: record.subject, clauses: whole ? nil : lines)
        guard let recipient = recipients.first(where: { $0.partner == partner }) else {
            throw GateError.notAReferralRecipient(consent: id, partner: partner, recipients: recipients.map(\.partner))
        }
        // Told of everything already: a second record would only repeat the first (found in a review: two entries stood in
        // the person's report for one call).
        guard !recipient.told else { throw GateError.referralNoticeAlreadyRecorded(consent: id, partner: partner, entries: recipient.notified) }
        // Told later than recorded is impossible, told before the withdrawal took effect too (of what it is about).
        let about = (whole ? status.withdrawnAtOnRecord : status.withdrawnClauses.filter { recipient.outstanding.contains($0.clause) }.map(\.at).max())
            .map { Date(timeIntervalSince1970: $0.timeIntervalSince1970.rounded(.down)) }
        let told = try when.instant(now: now, withdrawalTookEffect: about)
        // The notice names the lines it is about: those withdrawn that the partner received data under and was not told of
        // (all of its lines when the whole consent is withdrawn: then a notice about the whole consent, no lines).
        let notice = ErasureNoticeRecord(subject: record.subject, reason: ErasureNoticeRecord.consentWithdrawnReason(id), notify: [partner],
                                         clauses: whole ? nil : recipient.outstanding, channel: ErasureNoticeRecord.referralChannel,
                                         toldAt: told.map(RFC3339.format))
        return try self.record(.erasureNotice(notice), actor: actor, at: now)
    }

    /// The entries recording that a case manager told each partner of a withdrawal of consent `id` of `subject`
    /// (`recordReferralNotice`), by partner, oldest first, each with the lines it named (nil: the whole consent).
    func referralNotices(onConsent id: String, subject: String) throws -> [String: [(index: Int64, clauses: [String]?)]] {
        let reason = ErasureNoticeRecord.consentWithdrawnReason(id)
        var out: [String: [(index: Int64, clauses: [String]?)]] = [:]
        for stored in try auditLog.entries(matching: AuditQuery(subject: subject, kinds: [.erasureNotice])) {
            guard case let .erasureNotice(n) = stored.entry.content, n.reason == reason, n.channel == ErasureNoticeRecord.referralChannel
            else { continue }
            for partner in n.notify { out[partner, default: []].append((stored.index, n.clauses)) }
        }
        return out
    }
}
