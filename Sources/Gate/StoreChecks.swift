import AuditLog
import Diagnostics
import GRDB

/// What `consentgate audit verify` and the web's verification status check beyond the log itself, once it
/// verified: the stored consents and withdrawals are the ones the log recorded (`ConsentLedgerCheck`), the
/// trust store's record is the one its `key-event` entries leave (`TrustRecordCheck`), and every erasure notice
/// a withdrawal requires was sent or is still due (`ErasureNoticeCheck`).
public enum StoreChecks {
    /// The first problem, or nil. The first two read one snapshot and share one pass over the log's rows.
    public static func problem(in writer: any DatabaseWriter) throws -> (any UserFacingError)? {
        let first: (any UserFacingError)? = try writer.read { db in
            let logged = try AuditLogStore.entries(matching: AuditQuery(kinds: ConsentLedgerCheck.loggedKinds + [.keyEvent]), in: db)
            if let finding = try ConsentLedgerCheck.problem(in: db, logged: logged) { return finding }
            return try TrustRecordCheck.problem(in: db, logged: logged)
        }
        if let first { return first }
        return try ErasureNoticeCheck.problem(in: writer)
    }
}
