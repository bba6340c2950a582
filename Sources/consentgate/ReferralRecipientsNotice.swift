import Diagnostics
import Gate

/// What `consent withdraw` says of the partners that received data on the consent through referrals: the next export
/// run tells its own recipients (`erasure-notices.csv`), these must be told by whoever made the referrals (GDPR Art. 19).
/// Found in a DPO review: nothing listed them, so over a year the notices to referral recipients were left to memory.
enum ReferralRecipientsNotice {
    /// The lines to print after a recorded withdrawal (nil when no partner received data on it by referral); `lines`: the
    /// withdrawn lines, when not the whole consent.
    /// The last line says how to record each notice (`consent record-notice`), which the person's Art. 15 report then shows.
    static func text(_ recipients: [ReferralRecipient], lines: [String]?, consent: String, language: Language) -> String? {
        guard !recipients.isEmpty else { return nil }
        let de = language == .de
        let on = lines.map { de ? "auf Grundlage der widerrufenen Zeilen (\($0.joined(separator: ", ")))" : "under the withdrawn lines (\($0.joined(separator: ", ")))" }
            ?? (de ? "auf Grundlage dieser Einwilligung" : "on the basis of this consent")
        let head = de
            ? "Diese Stellen erhielten über Vermittlungen Daten \(on); bitte benachrichtigen (Art. 19 DSGVO; Exportempfänger benachrichtigt der nächste Exportlauf):"
            : "These partners received data \(on) through referrals; please tell them (GDPR Art. 19; the next export run tells export recipients):"
        let rows = recipients.map { r -> String in
            let entries = r.entries.map(String.init).joined(separator: ", ")
            let refs = r.referrals.isEmpty ? "" : (de ? "; Vermittlung " : "; referral ") + r.referrals.joined(separator: ", ")
            return "  \(r.partner): \(r.fields.joined(separator: ", ")) (\(de ? "Einträge" : "entries") \(entries)\(refs))"
        }
        let record = de ? "Danach vermerken: consentgate consent record-notice \(consent) --partner <Partner>"
                        : "Then record it: consentgate consent record-notice \(consent) --partner <partner>"
        return ([head] + rows + [record]).joined(separator: "\n")
    }
}
