import AuditLog
import Diagnostics
import GRDB

/// Checks the account table against the log's `account-event` entries.
///
/// Why: whoever can write the database could otherwise add an administrator, give a case worker another
/// municipality, swap in a token of their own, or re-enable a disabled account, and nothing would show it.
/// Accounts change only through `Gate.addAccount`/`disableAccount`/`changeAccountCredentials` and a page login's rehash of a
/// weaker password hash (`PasswordRehash`), each logging the account's state after the change in the same transaction, so replaying the events in log order gives exactly the table. The accounts that
/// existed when logging began are logged once as `recorded`, before any other account event; a `recorded` event
/// after one, or for an account already logged, is itself a finding (someone made the installation begin again to slip an account in).
enum AccountRecordCheck {
    /// The first problem (by account name), or nil. `logged`: the log's entries in index order, at least every
    /// `account-event`.
    static func problem(in db: Database, logged: [StoredEntry]) throws -> AccountRecordFinding? {
        var fromLog: [String: AccountEventRecord] = [:]
        var changed = false
        for stored in logged {
            guard case let .accountEvent(e) = stored.entry.content else { continue }
            if e.event == "recorded" {
                if changed || fromLog[e.account] != nil { return .recordedLate(account: e.account, index: stored.index) }
            } else {
                changed = true
            }
            fromLog[e.account] = e
        }
        var table: [String: AccountEventRecord] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM account") {
            let state = try AccountStore.loggedState(of: row)
            table[state.account] = state
        }
        for name in Set(fromLog.keys).union(table.keys).sorted() {
            switch (fromLog[name], table[name]) {
            case (nil, _?): return .notLogged(account: name)
            case (_?, nil): return .removed(account: name)
            case let (logged?, stored?):
                var fields: [String] = []
                if logged.role != stored.role { fields.append("role") }
                if logged.municipality != stored.municipality { fields.append("municipality") }
                if logged.credentials != stored.credentials { fields.append("credentials") }
                if logged.disabledAt != stored.disabledAt { fields.append("disabled-at") }
                if !fields.isEmpty { return .changed(account: name, fields: fields) }
            case (nil, nil): continue
            }
        }
        return nil
    }
}

/// The account table differs from the log's `account-event` entries (exit 4).
public enum AccountRecordFinding: UserFacingError, Equatable {
    /// An account is in the table that no `account-event` created.
    case notLogged(account: String)
    /// A logged account is no longer in the table.
    case removed(account: String)
    /// The account's `fields` (role, municipality, credentials, disabled-at) differ from its last event.
    case changed(account: String, fields: [String])
    /// A `recorded` event (accounts found when logging began) at log index `index`, after other account events or
    /// for an account already logged.
    case recordedLate(account: String, index: Int64)

    /// Always an integrity failure (exit 4): the account table was written outside ConsentGate.
    public var category: ProblemCategory { .integrity }

    /// The finding in `language`, naming the account (and the differing fields or the log index).
    public func message(in language: Language) -> String {
        let de = language == .de
        switch self {
        case let .notLogged(account):
            return de ? "Kontentabelle manipuliert: das Konto \(account) steht in der Datenbank, aber kein account-event des Protokolls hat es angelegt; es kann am Dienst vorbei eingetragen worden sein"
                      : "account table tampered with: account \(account) is in the database, but no account-event of the log created it; it may have been written in without the service"
        case let .removed(account):
            return de ? "Kontentabelle manipuliert: das Konto \(account) wurde laut Protokoll angelegt, fehlt aber in der Datenbank"
                      : "account table tampered with: account \(account) was created according to the log but is missing from the database"
        case let .changed(account, fields):
            let list = fields.joined(separator: ", ")
            return de ? "Kontentabelle manipuliert: das Konto \(account) weicht vom letzten account-event des Protokolls ab in: \(list)"
                      : "account table tampered with: account \(account) differs from its last account-event in the log in: \(list)"
        case let .recordedLate(account, index):
            return de ? "Kontentabelle manipuliert: Eintrag \(index) vermerkt das Konto \(account) als schon vorhanden (recorded), obwohl die Kontenprotokollierung schon begonnen hatte; der Beginn der Protokollierung wurde zurückgesetzt"
                      : "account table tampered with: entry \(index) records account \(account) as already existing (recorded) when account logging had already begun; the start of logging was reset"
        }
    }
}
