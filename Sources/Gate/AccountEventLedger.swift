import AuditLog
import GRDB
import Synchronization

/// The latest logged `account-event` of every account, read from the audit log incrementally, so that
/// authentication can hold an account row to its log the way `audit verify` does (`AccountRecordCheck`) without
/// replaying the log on every request.
///
/// Why: an account row written into the table by hand (or a role, municipality, token, password or disabled flag
/// changed there) has no matching `account-event`; `audit verify` finds it, but until someone runs it the row would
/// log in and use the API. With this ledger, `AccountStore` refuses such a row at the moment credentials are
/// established (a token look-up that misses the read cache, a password login, each page request's session check):
/// the row's security-relevant columns must equal the state its latest event recorded (`AccountStore.loggedState`).
///
/// Cost: the first use reads every `account-event` (one pass over the log, filtered by kind); later uses read only
/// the entries appended since (`idx` above the last one seen: a primary-key range). Decisions with a cached token
/// never come here (`GateReadCache` keeps the verified account until the change counter moves).
///
/// Limits: the ledger trusts the log's rows as stored. Someone who can write the database *and* append a matching
/// `account-event` without the audit-log key leaves a log that `audit verify` refuses (tree and signed
/// checkpoints), not this check.
public final class AccountEventLedger: Sendable {
    private struct State {
        var scannedThrough: Int64 = -1
        var latest: [String: AccountEventRecord] = [:]
    }
    private let state = Mutex(State())

    /// An empty ledger; it fills itself on first use.
    public init() {}

    /// The latest logged event of account `name` as of `db`'s snapshot (after reading what was appended since the
    /// last call), or nil when the log records none.
    ///
    /// Only committed entries are kept for later calls: those read on a read-only connection (a snapshot of what was
    /// committed) or outside a transaction. Inside a write transaction the entries since the last one kept are read for
    /// this answer only, because they may include the transaction's own appends, which a rollback takes back. Before,
    /// they were kept: the next append after a rollback reuses the index, the ledger had read past it, and the account's
    /// rolled-back event stayed its "latest", so its next login was refused until the process restarted (fail closed).
    func latestEvent(for name: String, in db: Database) throws -> AccountEventRecord? {
        let committedOnly = db.configuration.readonly || !db.isInsideTransaction
        return try state.withLock { s in
            let fresh = try AuditLogStore.entries(matching: AuditQuery(kinds: [.accountEvent], after: s.scannedThrough), in: db)
            guard committedOnly else {
                var latest = s.latest[name]
                for stored in fresh {
                    if case let .accountEvent(e) = stored.entry.content, e.account == name { latest = e }
                }
                return latest
            }
            for stored in fresh {
                if case let .accountEvent(e) = stored.entry.content { s.latest[e.account] = e }
                s.scannedThrough = max(s.scannedThrough, stored.index)
            }
            return s.latest[name]
        }
    }

    /// True when `row` (an `account` row) holds exactly the role, municipality, credentials and disabled-at its latest
    /// logged event recorded; false for a row no event created or one changed since (fail closed).
    func matchesLog(_ row: Row, in db: Database) throws -> Bool {
        let stored = try AccountStore.loggedState(of: row)
        guard let logged = try latestEvent(for: stored.account, in: db) else { return false }
        return logged.role == stored.role && logged.municipality == stored.municipality
            && logged.credentials == stored.credentials && logged.disabledAt == stored.disabledAt
    }
}
