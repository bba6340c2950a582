import AuditLog
import Foundation

extension Gate {
    /// The GDPR Art. 15 report of `subject`: every log entry naming them with a fresh proof of inclusion, the
    /// checkpoint they are proved against, and the cited norms of the rules involved (from the policy of each
    /// entry's time, archived). Reading it is itself logged: an `audit-read` entry naming `actor` and `command`
    /// (the API route or the page the report was asked on), so the web service's two ways to it read alike.
    public func subjectReport(_ subject: String, actor: String, command: String) throws -> SubjectReport {
        let found = try auditLog.readRecorded(AuditQuery(subject: subject), actor: actor, command: command, signer: auditSigner())
        let citations = RuleCitations(database: database, current: policy)
        return SubjectReport(subject: subject, entries: found, checkpoint: try auditLog.latestCheckpoint(),
                             citations: try citations.table(for: found), policies: citations.names(for: found))
    }
}
