import AuditLog
import ConsentRecords
import Foundation

extension Gate {
    /// From when an erasure notice (GDPR Art. 19) is owed to `partner` for consent `consentID` of `subject`, or nil
    /// when none is: the earliest withdrawal of a line (clause) under which an export passed that partner data of the
    /// person (the `disclosure` entries of export runs name the clause of each field). A consent withdrawn as a whole
    /// owes it from then also when the log shows no such field (as before withdrawals of single lines existed); a
    /// withdrawal of lines the partner received nothing under owes it nothing.
    public func erasureOwed(consentID: String, subject: String, partner: String) throws -> Date? {
        try erasureOwing(consentID: consentID, subject: subject, partner: partner)?.at
    }

    /// `erasureOwed`, with the withdrawn lines the partner received data under when the consent is not withdrawn as a
    /// whole (nil then: the notice is about the whole consent), for the notice row to name them: the partner erases
    /// what it got under those lines and keeps what the lines still in force cover.
    public func erasureOwing(consentID: String, subject: String, partner: String) throws -> (at: Date, clauses: [String]?)? {
        guard let lines = try consents.record(id: consentID)?.withdrawnLines, !lines.isEmpty else { return nil }
        let query = AuditQuery(subject: subject, partner: partner, kinds: [.disclosure])
        var earliest: Date?
        var under = Set<String>()
        for stored in try auditLog.entries(matching: query) {
            guard case let .disclosure(d) = stored.entry.content, d.exportRun != nil else { continue }
            for f in d.fields {
                guard let c = f.consent, c.id == consentID, let at = lines.time(ofClause: c.clause) else { continue }
                earliest = min(earliest ?? at, at)
                under.insert(c.clause)
            }
        }
        guard let at = earliest ?? lines.whole else { return nil }
        return (at, lines.whole == nil ? under.sorted() : nil)
    }
}
