import Diagnostics
import Gate

/// The warning `consent withdraw` gives when the audit log records releases on the consent after the withdrawal's time
/// (a letter typed in late, `--at` in the past): data that went out without a basis, whose recipients must be told
/// (GDPR Art. 19) and which the DPO must assess (Art. 33). Found in a domain review: such a withdrawal was accepted
/// without a word.
enum ReleasesAfterWithdrawalWarning {
    /// The warning for `releases` (none: nil), listing at most `shown` of them; `clauses`: the lines withdrawn, when not
    /// the whole consent (the releases are then those under these lines only).
    static func text(_ releases: [ReleaseOnConsent], withdrawnAt: String, clauses: [String]? = nil, language: Language, shown: Int = 10) -> String? {
        guard !releases.isEmpty else { return nil }
        let de = language == .de
        let lines = releases.prefix(shown).map { r -> String in
            let channel = r.channel.map { de ? "; über \($0)" : "; via \($0)" } ?? ""
            return (de ? "  Eintrag \(r.index) (\(r.time)): \(r.partner): " : "  entry \(r.index) (\(r.time)): \(r.partner): ")
                + r.fields.joined(separator: ", ") + channel
        }
        let more = releases.count > shown ? [de ? "  … und \(releases.count - shown) weitere (consentgate audit log --subject …)"
                                                 : "  … and \(releases.count - shown) more (consentgate audit log --subject …)"] : []
        let on = clauses.map { de ? "auf die widerrufenen Zeilen (\($0.joined(separator: ", "))) dieser Einwilligung" : "under the withdrawn lines (\($0.joined(separator: ", "))) of this consent" }
        let head = de
            ? "Warnung: nach dem Zeitpunkt des Widerrufs (\(withdrawnAt)) hat das Audit-Protokoll \(releases.count) Freigabe(n) \(on ?? "auf diese Einwilligung") verzeichnet; diese Daten gingen ohne Rechtsgrundlage hinaus: die Empfänger informieren (Art. 19 DSGVO) und den Datenschutz prüfen lassen (Art. 33 DSGVO):"
            : "warning: after the time of the withdrawal (\(withdrawnAt)) the audit log records \(releases.count) release(s) \(on ?? "on this consent"); that data went out without a basis: tell the recipients (GDPR Art. 19) and have the data protection officer assess it (Art. 33):"
        return ([head] + lines + more).joined(separator: "\n") + "\n"
    }
}
