import AuditLog
import ConsentRecords
import Foundation
import Signing

extension Gate {
    /// From when an erasure notice (GDPR Art. 19) is owed to `partner` for consent `consentID` of `subject`, or nil
    /// when none is: the earliest withdrawal of a line (clause) under which an export passed that partner data of the
    /// person (the `disclosure` entries of export runs name the clause of each field). A consent withdrawn as a whole
    /// owes it from then also when the log shows no such field (as before withdrawals of single lines existed); a
    /// withdrawal of lines the partner received nothing under owes it nothing. Whatever was sent already is not
    /// subtracted here: `erasureDue` does that.
    public func erasureOwed(consentID: String, subject: String, partner: String) throws -> Date? {
        try erasureOwing(consentID: consentID, subject: subject, partner: partner)?.at
    }

    /// `erasureOwed`, with the withdrawn lines the partner received data under when the consent is not withdrawn as a
    /// whole (nil then: the notice is about the whole consent), for the notice row to name them: the partner erases
    /// what it got under those lines and keeps what the lines still in force cover.
    public func erasureOwing(consentID: String, subject: String, partner: String) throws -> (at: Date, clauses: [String]?)? {
        guard let lines = try consents.record(id: consentID)?.withdrawnLines, !lines.isEmpty else { return nil }
        let under = try withdrawnLinesReceived(consentID: consentID, subject: subject, partner: partner, lines: lines)
        guard let at = under.values.min() ?? lines.whole else { return nil }
        return (at, lines.whole == nil ? under.keys.sorted() : nil)
    }

    /// The notice due now to `partner` about consent `consentID` of `subject` (GDPR Art. 19), after what the ledger
    /// says went out (`ExportLedger.sentNotices`), or nil when nothing new is due:
    ///
    /// - lines withdrawn singly: the withdrawn lines the partner received data under that no notice named yet
    ///   (`clauses`), from the earliest of their withdrawals;
    /// - the consent withdrawn as a whole: one notice about the whole consent (`clauses` nil: erase everything passed
    ///   on it), unless one went out already, or every line the partner received data under was named by line
    ///   notices before (it was told to erase all it got). After earlier line notices its time is the earliest
    ///   withdrawal of a line not yet notified. The whole notice rather than a list of the remaining lines: it tells the
    ///   partner to erase all it still holds on the consent, without relying on which line each field went under.
    public func erasureDue(consentID: String, subject: String, partner: String) throws -> (at: Date, clauses: [String]?)? {
        guard let record = try consents.record(id: consentID) else { return nil }
        let lines = record.withdrawnLines
        guard !lines.isEmpty else { return nil }
        let sent = try exportLedger.sentNotices(consentID: consentID, partner: partner).covered(for: record)
        if sent.whole { return nil }
        let under = try withdrawnLinesReceived(consentID: consentID, subject: subject, partner: partner, lines: lines)
        let remaining = under.filter { !sent.clauses.contains($0.key) }
        if let whole = lines.whole {
            if !under.isEmpty && remaining.isEmpty { return nil }
            return (remaining.values.min() ?? whole, nil)
        }
        guard let at = remaining.values.min() else { return nil }
        return (at, remaining.keys.sorted())
    }

    /// The withdrawn lines of the consent under which an export passed `partner` data of `subject` (by the `disclosure`
    /// entries of export runs), each with the time it is withdrawn from.
    func withdrawnLinesReceived(consentID: String, subject: String, partner: String, lines: WithdrawnLines) throws -> [String: Date] {
        let query = AuditQuery(subject: subject, partner: partner, kinds: [.disclosure])
        var under: [String: Date] = [:]
        for stored in try auditLog.entries(matching: query) {
            guard case let .disclosure(d) = stored.entry.content, d.exportRun != nil else { continue }
            for f in d.fields {
                guard let c = f.consent, c.id == consentID, let at = lines.time(ofClause: c.clause) else { continue }
                under[c.clause] = at
            }
        }
        return under
    }
}

extension SentNotices {
    /// What the notices sent covered, read against the consent's stored withdrawals: the lines named, or everything
    /// (`whole`). A row from before `export-ledger-v4` names nothing; it was sent for what was withdrawn when its run
    /// started, so it covers the withdrawals recorded before the run id's second (everything, if one of them withdrew the
    /// whole consent). A withdrawal recorded in that second or later, or a run id that does not read as a time, counts
    /// as not covered: the partner may get a second notice, never none.
    public func covered(for record: StoredConsent) -> (whole: Bool, clauses: Set<String>) {
        if whole { return (true, clauses) }
        var lines = clauses
        for run in earlierRuns {
            guard let started = Self.start(ofRun: run) else { continue }
            var then = record
            then.withdrawals = record.withdrawals.filter { $0.recordedAt < started }
            let was = then.withdrawnLines
            if was.whole != nil { return (true, lines) }
            lines.formUnion(was.byClause.keys)
        }
        return (false, lines)
    }

    /// The start second of run `id` (`YYYYMMDDTHHMMSSZ-…`, the export job's run ids), or nil.
    static func start(ofRun id: String) -> Date? {
        let c = Array(id.utf8.prefix(16))
        guard c.count == 16, c[8] == UInt8(ascii: "T"), c[15] == UInt8(ascii: "Z") else { return nil }
        let s = String(decoding: c, as: UTF8.self)
        func part(_ from: Int, _ length: Int) -> Substring { s.dropFirst(from).prefix(length) }
        return RFC3339.parse("\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(9, 2)):\(part(11, 2)):\(part(13, 2))Z")
    }
}

extension Gate {
    /// The fields an export passed `partner` about `subject` on consent `consentID` (under one of `clauses`; nil: under
    /// any line), by the `disclosure` entries of export runs, in the order first passed: what an erasure notice asks the
    /// partner to erase, named so that it knows which of its columns that is.
    public func fieldsReceived(consentID: String, subject: String, partner: String, clauses: [String]?) throws -> [String] {
        var fields: [String] = [], seen: Set<String> = []
        for stored in try auditLog.entries(matching: AuditQuery(subject: subject, partner: partner, kinds: [.disclosure])) {
            guard case let .disclosure(d) = stored.entry.content, d.exportRun != nil else { continue }
            for f in d.fields {
                guard let c = f.consent, c.id == consentID, clauses.map({ $0.contains(c.clause) }) ?? true else { continue }
                if seen.insert(f.field).inserted { fields.append(f.field) }
            }
        }
        return fields
    }
}
