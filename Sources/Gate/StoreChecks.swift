import Diagnostics
import GRDB

/// What `consentgate audit verify` and the web's verification status check beyond the log itself, once it
/// verified: the stored consents and withdrawals are the ones the log recorded (`ConsentLedgerCheck`), and
/// every erasure notice a withdrawal requires was sent or is still due (`ErasureNoticeCheck`).
public enum StoreChecks {
    /// The first problem, or nil.
    public static func problem(in writer: any DatabaseWriter) throws -> (any UserFacingError)? {
        if let finding = try ConsentLedgerCheck.problem(in: writer) { return finding }
        return try ErasureNoticeCheck.problem(in: writer)
    }
}
