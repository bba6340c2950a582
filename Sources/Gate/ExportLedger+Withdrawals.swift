import GRDB

/// Withdrawals recorded while an export run decides: the run reads each person's consents when it reaches the
/// person's row, so a consent withdrawn after that read would still release the person's data in this run. Before
/// anything is logged or published, the run asks which consents its staged records rely on had a withdrawal recorded
/// since it began deciding, and decides again without them (docs/export-job.md, "A withdrawal recorded while a run is
/// going on").
extension ExportLedger {
    /// A mark in the stored withdrawals (the newest row's number, 0 for none), taken before a run decides its first row:
    /// the withdrawals recorded after it are those with a higher number, as the table is append-only (its rows are never
    /// deleted, so SQLite numbers each new row above every earlier one).
    public func withdrawalMark() throws -> Int64 {
        try read(.init(de: "Widerrufe lesen", en: "read withdrawals")) { db in
            try Int64.fetchOne(db, sql: "SELECT coalesce(max(rowid), 0) FROM consent_withdrawal") ?? 0
        }
    }

    /// The consents (ids, sorted) that the staged records of run `runID` for `partners` rely on and that had a
    /// withdrawal, of the whole consent or of lines, recorded after `mark` (`withdrawalMark()`).
    public func consentsWithdrawn(after mark: Int64, runID: String, partners: [String]) throws -> [String] {
        try read(.init(de: "Widerrufe während des Laufs lesen", en: "read withdrawals recorded during the run")) { db in
            var out: Set<String> = []
            for consent in try String.fetchAll(db, sql: "SELECT DISTINCT consent_id FROM consent_withdrawal WHERE rowid > ?",
                                               arguments: [mark]) {
                for partner in partners where try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM export_pending_reliance WHERE run_id = ? AND partner = ? AND consent_id = ?)
                    """, arguments: [runID, partner, consent]) ?? false {
                    out.insert(consent)
                }
            }
            return out.sorted()
        }
    }
}
