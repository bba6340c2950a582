import AuditLog
import Diagnostics
import Foundation
import GRDB
import Signing

/// Checks the stored consents and withdrawals against what the (verified) audit log recorded of them.
///
/// Why: the consent tables are plain rows. Someone with write access to the file can delete a withdrawal,
/// and the consent it ended is active again: data flows that the person stopped. Or insert a validly signed
/// consent from elsewhere without its `consent-granted` entry, so a permit rests on nothing the log shows.
/// The signatures cannot tell (every row is still genuinely signed); the audit log can: every consent and
/// withdrawal stored through ConsentGate has its entry with the SHA-256 of the exact signed document.
/// `consentgate audit verify` and the web's verification status run this after the log itself verified.
public enum ConsentLedgerCheck {
    /// The first difference (in log order, then id order for unlogged rows), or nil when the store and the log
    /// agree both ways.
    public static func problem(in writer: any DatabaseWriter) throws -> ConsentLedgerFinding? {
        // One snapshot for the log and the store: a consent granted between two reads would look unlogged or missing.
        try writer.read { db in
            let logged = try AuditLogStore.entries(matching: AuditQuery(kinds: [.consentGranted, .consentWithdrawn]), in: db)
            var consents: [String: String] = [:], withdrawals: [String: String] = [:]
            // The digest of the stored bytes themselves (the `jws_sha256` column beside them could be edited too).
            for row in try Row.fetchAll(db, sql: "SELECT id, jws FROM consent") { consents[row[0]] = SHA256.tagged(row[1] as Data) }
            for row in try Row.fetchAll(db, sql: "SELECT consent_id, jws FROM consent_withdrawal") {
                withdrawals[row[0]] = SHA256.tagged(row[1] as Data)
            }
            var seenConsents = Set<String>(), seenWithdrawals = Set<String>()
            for stored in logged {
                switch stored.entry.content {
                case let .consentGranted(r):
                    seenConsents.insert(r.consentID)
                    guard let digest = consents[r.consentID] else { return .consentMissing(index: stored.index, consentID: r.consentID) }
                    if let d = r.digest, d != digest { return .consentChanged(index: stored.index, consentID: r.consentID) }
                case let .consentWithdrawn(r):
                    seenWithdrawals.insert(r.consentID)
                    guard let digest = withdrawals[r.consentID] else { return .withdrawalMissing(index: stored.index, consentID: r.consentID) }
                    if let d = r.digest, d != digest { return .withdrawalChanged(index: stored.index, consentID: r.consentID) }
                default:
                    continue
                }
            }
            if let id = consents.keys.filter({ !seenConsents.contains($0) }).min() { return .consentNotLogged(consentID: id) }
            if let id = withdrawals.keys.filter({ !seenWithdrawals.contains($0) }).min() { return .withdrawalNotLogged(consentID: id) }
            return nil
        }
    }
}

/// How the stored consents differ from the audit log (exit 4, like any tampering the log reveals).
public enum ConsentLedgerFinding: UserFacingError, Equatable {
    /// Entry `index` records consent `consentID`, which the store no longer holds.
    case consentMissing(index: Int64, consentID: String)
    /// The stored consent is not the signed document entry `index` recorded.
    case consentChanged(index: Int64, consentID: String)
    /// Entry `index` records the withdrawal of `consentID`, which the store no longer holds: the consent would
    /// count as active again.
    case withdrawalMissing(index: Int64, consentID: String)
    /// The stored withdrawal is not the signed document entry `index` recorded.
    case withdrawalChanged(index: Int64, consentID: String)
    /// A stored consent the log never recorded (put into the file outside ConsentGate).
    case consentNotLogged(consentID: String)
    /// A stored withdrawal the log never recorded.
    case withdrawalNotLogged(consentID: String)

    public var category: ProblemCategory { .integrity }

    public func message(in language: Language) -> String {
        let de = language == .de
        let body: String
        switch self {
        case let .consentMissing(i, id):
            body = de ? "Eintrag \(i) protokolliert die Einwilligung \(id), die im Bestand fehlt (gelöscht)"
                      : "entry \(i) records consent \(id), which the store no longer holds (deleted)"
        case let .consentChanged(i, id):
            body = de ? "die gespeicherte Einwilligung \(id) ist nicht das in Eintrag \(i) protokollierte signierte Dokument (ersetzt)"
                      : "the stored consent \(id) is not the signed document entry \(i) recorded (replaced)"
        case let .withdrawalMissing(i, id):
            body = de ? "Eintrag \(i) protokolliert den Widerruf der Einwilligung \(id), der im Bestand fehlt (gelöscht): die Einwilligung gälte wieder als wirksam"
                      : "entry \(i) records the withdrawal of consent \(id), which the store no longer holds (deleted): the consent would count as active again"
        case let .withdrawalChanged(i, id):
            body = de ? "der gespeicherte Widerruf der Einwilligung \(id) ist nicht das in Eintrag \(i) protokollierte signierte Dokument (ersetzt)"
                      : "the stored withdrawal of consent \(id) is not the signed document entry \(i) recorded (replaced)"
        case let .consentNotLogged(id):
            body = de ? "die gespeicherte Einwilligung \(id) steht in keinem Protokolleintrag (außerhalb von ConsentGate eingefügt)"
                      : "the stored consent \(id) is in no audit entry (inserted outside ConsentGate)"
        case let .withdrawalNotLogged(id):
            body = de ? "der gespeicherte Widerruf der Einwilligung \(id) steht in keinem Protokolleintrag (außerhalb von ConsentGate eingefügt)"
                      : "the stored withdrawal of consent \(id) is in no audit entry (inserted outside ConsentGate)"
        }
        return de ? "Einwilligungsbestand manipuliert oder beschädigt: \(body)" : "consent store tampered with or damaged: \(body)"
    }
}
