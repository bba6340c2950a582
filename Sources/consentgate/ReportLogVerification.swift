import AuditLog
import Diagnostics
import Gate

/// `audit report` checks the log it answers from, as `audit verify` does, before it records its read: a report drawn
/// from altered entries is no evidence to hand a person. The DPO's report page warns from the service's last check;
/// the command has no such check to look back on, so it runs one (about a second per million entries). The report
/// is still written (an Art. 15 request has a deadline), the problem goes to standard error and the exit code is 4.
enum ReportLogVerification {
    /// The integrity problem `audit verify` would report, or nil when the log and the stored records hold; a failure
    /// of another kind (the store cannot be read) is thrown.
    static func problem(_ keys: AuditKeyOptions, store: AuditLogStore) throws -> (any UserFacingError)? {
        do {
            _ = try store.verify(keys: try AuditKeySource.verifiers(keys), trustedCheckpoint: nil,
                                 revoked: try AuditKeySource.revokedVerifiers(keys))
            return try StoreChecks.problem(in: store.writer)
        } catch let error as any UserFacingError where error.category == .integrity {
            return error
        }
    }
}

/// The report was written, but the log it was drawn from fails verification (exit 4).
struct ReportFromUnverifiedLog: UserFacingError {
    /// What `audit verify` found (or the append that would have recorded the read refused).
    let problem: any UserFacingError
    /// The log refused the `audit-read` entry, so this read is not in the log.
    var readUnrecorded = false

    var category: ProblemCategory { .integrity }

    func message(in language: Language) -> String {
        let unrecorded = readUnrecorded ? (language == .de ? " Diese Abfrage ist nicht im Protokoll verzeichnet: es nimmt keinen Eintrag an." : " This read is not recorded in the log: it takes no entry.") : ""
        return language == .de
            ? "Die Auskunft wurde erstellt, aber das Audit-Protokoll besteht die Prüfung nicht: \(problem.message(in: .de)). Was sie zeigt, kann auf veränderten Einträgen beruhen; bitte nicht herausgeben, bevor die Ursache geklärt ist (consentgate audit verify).\(unrecorded)"
            : "the report was written, but the audit log fails verification: \(problem.message(in: .en)). What it shows may rest on altered entries; please do not hand it out before the cause is clear (consentgate audit verify).\(unrecorded)"
    }
}
