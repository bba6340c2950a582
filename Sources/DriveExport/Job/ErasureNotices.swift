import AuditLog
import Foundation
import Gate
import Signing

/// An erasure notice due to a partner (GDPR Art. 19): an earlier export to it relied on a consent that
/// has since been withdrawn.
public struct DueNotice: Sendable, Equatable {
    public var partner: String
    public var consentID: String
    public var subject: String
    public var withdrawnAt: Date
}

/// Finding due erasure notices and writing them: `erasure-notices.csv` in the partner's run folder
/// (listed and signed in its manifest) and one `erasure-notice` audit entry each; once per (consent, partner).
enum ErasureNotices {
    static let fileName = "erasure-notices.csv"
    static let header = ["Fall-ID", "Einwilligung", "Widerrufen am", "Hinweis"]
    static let note = "Einwilligung widerrufen: auf diese Einwilligung gestützt übermittelte Daten löschen (Art. 17, 19 DSGVO) / "
        + "Consent withdrawn: erase the data passed on this consent (GDPR Art. 17, 19)"

    /// Per partner, the notices due: relied-on consents that are withdrawn and not yet notified.
    static func due(gate: Gate, partners: [String]) throws -> [String: [DueNotice]] {
        var withdrawn: [String: Date?] = [:]
        var out: [String: [DueNotice]] = [:]
        for partner in partners {
            for r in try gate.exportLedger.unnotifiedReliance(partner: partner) {
                if withdrawn[r.consentID] == nil {
                    withdrawn[r.consentID] = .some(try gate.consents.record(id: r.consentID)?.withdrawal?.withdrawnAt)
                }
                if let at = withdrawn[r.consentID] ?? nil {
                    out[partner, default: []].append(DueNotice(partner: partner, consentID: r.consentID, subject: r.subject, withdrawnAt: at))
                }
            }
        }
        return out
    }

    /// The notice's row in `erasure-notices.csv`.
    static func cells(_ n: DueNotice) -> [String] {
        [n.subject, n.consentID, RFC3339.format(n.withdrawnAt), note]
    }
}
