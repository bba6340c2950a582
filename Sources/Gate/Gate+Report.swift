import AuditLog
import Foundation

extension Gate {
    /// The GDPR Art. 15 report of `subject`: every log entry naming them with a fresh proof of inclusion, the
    /// checkpoint they are proved against, and the cited norms of the rules involved (from the policy of each
    /// entry's time, archived). Reading it is itself logged: an `audit-read` entry naming `actor` and `command`
    /// (the API route or the page the report was asked on), so the web service's two ways to it read alike.
    public func subjectReport(_ subject: String, actor: String, command: String) throws -> SubjectReport {
        let found = try auditLog.readRecorded(AuditQuery(subject: subject), actor: actor, command: command, signer: auditSigner())
        return try report(subject, from: found)
    }

    /// `subjectReport`, also when the log takes no entry (an append refused as an integrity finding: the log was changed
    /// outside ConsentGate, `AppendBase`): the report is then read without recording the read, and the refusal comes
    /// beside it to be said with it. An Art. 15 request has a deadline, and the log's state is the finding, as
    /// `consentgate audit report` answers.
    public func subjectReportRecordingIfPossible(_ subject: String, actor: String,
                                                 command: String) throws -> (report: SubjectReport, readNotRecorded: AuditLogError?) {
        do {
            return (try subjectReport(subject, actor: actor, command: command), nil)
        } catch let refused as AuditLogError where refused.category == .integrity {
            return (try report(subject, from: try auditLog.entries(matching: AuditQuery(subject: subject))), refused)
        }
    }

    private func report(_ subject: String, from found: [StoredEntry]) throws -> SubjectReport {
        let citations = RuleCitations(database: database, current: policy)
        return SubjectReport(subject: subject, entries: found, checkpoint: try auditLog.latestCheckpoint(),
                             citations: try citations.table(for: found), policies: citations.names(for: found))
    }
}
