import AuditLog
import Diagnostics
import Foundation
import GRDB
import PolicyEngine
import Signing
import StoreDiagnostics

/// Accounts in the installation's database: create, list, disable, and authenticate by API token or
/// by name and password. Tokens are stored only as SHA-256, passwords only as scrypt hashes.
public struct AccountStore: Sendable {
    /// The database the accounts live in.
    public let database: AppDatabase
    /// The shortest password accepted for page logins.
    public static let minimumPasswordLength = 12

    /// Active accounts by token digest, invalidated by the change counter (nil: every lookup reads the table).
    public let cache: GateReadCache?

    /// A store over `database`; with `cache` (a `Gate`'s `readCache`), token look-ups are answered from
    /// memory until any account (or other cached row) changes, in this process or another.
    public init(database: AppDatabase, cache: GateReadCache? = nil) {
        self.database = database; self.cache = cache; ledger = AccountEventLedger()
    }

    /// The latest logged `account-event` per account: authentication accepts only a row that matches its log (an
    /// account written into the table by hand, or changed there, is refused at once, not only at `audit verify`).
    /// Shared by copies of this store, so one long-lived store (the web service's) reads the log incrementally.
    let ledger: AccountEventLedger

    /// Creates an account and its API token. `password` (for the page login) is optional: an account
    /// without one can only use the API. `log` runs in the same transaction with the `account-event` the change
    /// must leave in the audit log (`Gate.addAccount` appends it), so the account exists only if it is logged.
    func add(name: String, role: AccountRole, municipality: String?, password: String?,
             now: Date = Date(), passwordParameters: PasswordHashing.Parameters = .standard,
             municipalities: CountyMunicipalities, log: (Database, AccountEventRecord) throws -> Void) throws -> NewAccount {
        guard Account.isValidName(name) else { throw AccountError.invalidName(name) }
        // In NFC, as the list and the subject table hold the names (SQLite compares bytes: a decomposed name would see nobody).
        let municipality = municipality.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : Subject.nfc($0) }
        guard (role == .caseworker) == (municipality != nil) else {
            throw AccountError.municipalityMismatch(role: role, municipality: municipality)
        }
        if let municipality, !municipalities.admits(municipality) {
            throw AccountError.unknownMunicipality(municipality, suggestions: municipalities.suggestions(for: municipality),
                                                   known: municipalities.sorted)
        }
        if let password, password.count < Self.minimumPasswordLength {
            throw AccountError.passwordTooShort(minimum: Self.minimumPasswordLength)
        }
        let passwordHash = try password.map { try PasswordHashing.hash($0, parameters: passwordParameters) }
        let token = try APIToken.generate()
        let account = Account(name: name, role: role, municipality: municipality, createdAt: now)
        try write(.init(de: "Konto anlegen", en: "add account")) { db in
            // Also a name that differs from an existing one only in case (names are ASCII: NOCASE compares them so):
            // `Anna` and `anna` would be two accounts to the store and the audit log, one to a reader, and one to the
            // login throttle and its device cookies, which count by the lower-cased name.
            if let existing = try String.fetchOne(db, sql: "SELECT name FROM account WHERE name = ? COLLATE NOCASE", arguments: [name]) {
                throw AccountError.duplicateName(existing)
            }
            try db.execute(sql: """
                INSERT INTO account (name, role, municipality, password_hash, token_digest, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [name, role.rawValue, municipality, passwordHash, APIToken.digest(token), RFC3339.format(now)])
            try log(db, AccountEventRecord(event: "created", account: name, role: role.rawValue, municipality: municipality,
                                           credentials: Self.credentials(tokenDigest: APIToken.digest(token), passwordHash: passwordHash)))
        }
        return NewAccount(account: account, token: token)
    }

    /// Every account, by name.
    public func list() throws -> [Account] {
        try read(.init(de: "Konten auflisten", en: "list accounts")) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY name").map(Self.account(from:))
        }
    }

    /// The account called `name`, or nil. A name outside the account-name rule (`Account.isValidName`) is
    /// no account's and is never looked up: SQLite would read a name with U+0000 only up to that character.
    public func account(named name: String) throws -> Account? {
        guard Account.isValidName(name) else { return nil }
        return try read(.init(de: "Konto lesen", en: "read account")) { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]).map(Self.account(from:))
        }
    }

    /// Disables the account: its token and password stop working at once, its sessions at their next request, its
    /// device cookies (`DeviceCookieStore`) are deleted.
    /// The last active administrator is refused (`lastActiveAdmin`): the web service would have nobody left to manage
    /// accounts. A name outside the account-name rule is refused (`invalidName`) before any look-up. `log` as for `add`.
    func disable(name: String, now: Date = Date(), log: (Database, AccountEventRecord) throws -> Void) throws {
        guard Account.isValidName(name) else { throw AccountError.invalidName(name) }
        try write(.init(de: "Konto sperren", en: "disable account")) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]) else {
                throw AccountError.unknownAccount(name)
            }
            let stored = StoredRow(row, table: "account", keyColumn: "name")
            if try stored.optional("disabled_at", as: String.self) != nil { throw AccountError.alreadyDisabled(name) }
            // Never the last active administrator: checked inside the write transaction, so two administrators
            // disabling each other at once cannot both pass (SQLite runs one writer at a time).
            if try stored.optional("role", as: String.self) == AccountRole.admin.rawValue, try otherActiveAdmins(than: name, in: db) == 0 {
                throw AccountError.lastActiveAdmin(name)
            }
            // A row changed outside ConsentGate (a role raised in the table) is still disabled: that is what an
            // administrator does about it. But its event records what the log knew of the account, not the table's
            // values, so the change is not taken into the log and `audit verify` keeps reporting it. A row the log never
            // recorded at all cannot log in (`matchesLog`) and is left to `audit verify`.
            var state = try Self.loggedState(of: row)
            if try !ledger.matchesLog(row, in: db) {
                guard let logged = try ledger.latestEvent(for: name, in: db) else { throw AccountError.notInLog(name) }
                state = logged
            }
            let disabledAt = RFC3339.format(now)
            try db.execute(sql: "UPDATE account SET disabled_at = ? WHERE name = ?", arguments: [disabledAt, name])
            try DeviceCookieStore.forget(name: name, in: db)   // no browser stays trusted for it (the login throttle)
            state.event = "disabled"; state.disabledAt = disabledAt
            try log(db, state)
        }
    }

    /// The active administrators other than `name` that can act as such: rows that match their log. A row raised to
    /// admin by hand cannot log in (`matchesLog`), so counting it would let the last real administrator be disabled.
    func otherActiveAdmins(than name: String, in db: Database) throws -> Int {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM account WHERE role = 'admin' AND disabled_at IS NULL AND name <> ?",
                                    arguments: [name])
        return try rows.filter { try ledger.matchesLog($0, in: db) }.count
    }

    /// Replaces an account's credentials: a new API token (the old one stops working at once) and/or a new page
    /// password (`.set`) or none (`.remove`: API access only). The account must exist and be active (a disabled
    /// account stays disabled; an administrator creates a new one). Returns the new token when one was issued. A new or
    /// removed password deletes the account's device cookies (`DeviceCookieStore`).
    /// `log` as for `add` (event `credentials-changed`).
    func changeCredentials(name: String, newToken: Bool, password: PasswordChange,
                           passwordParameters: PasswordHashing.Parameters = .standard,
                           log: (Database, AccountEventRecord) throws -> Void) throws -> String? {
        guard Account.isValidName(name) else { throw AccountError.invalidName(name) }
        guard newToken || password != .keep else { throw AccountError.nothingToChange }
        if case let .set(p) = password, p.count < Self.minimumPasswordLength {
            throw AccountError.passwordTooShort(minimum: Self.minimumPasswordLength)
        }
        let token = try newToken ? APIToken.generate() : nil
        // Hashed before the write transaction: scrypt takes a while and must not hold the writer.
        let newHash: String?? = switch password {
        case .keep: nil
        case .remove: .some(nil)
        case let .set(p): .some(try PasswordHashing.hash(p, parameters: passwordParameters))
        }
        try write(.init(de: "Zugangsdaten des Kontos ändern", en: "change account credentials")) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]) else {
                throw AccountError.unknownAccount(name)
            }
            if try StoredRow(row, table: "account", keyColumn: "name").optional("disabled_at", as: String.self) != nil { throw AccountError.disabled(name) }
            // New credentials for a row changed outside ConsentGate would log its changed role or municipality as if
            // ConsentGate had set them, and `audit verify` would accept them from then on: refused (exit 4).
            guard try ledger.matchesLog(row, in: db) else { throw AccountError.doesNotMatchLog(name) }
            if let token {
                try db.execute(sql: "UPDATE account SET token_digest = ? WHERE name = ?", arguments: [APIToken.digest(token), name])
            }
            if let newHash {
                try db.execute(sql: "UPDATE account SET password_hash = ? WHERE name = ?", arguments: [newHash, name])
                try DeviceCookieStore.forget(name: name, in: db)   // as its page sessions end (the login throttle)
            }
            guard let updated = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]) else {
                throw AccountError.unknownAccount(name)
            }
            var state = try Self.loggedState(of: updated)
            state.event = "credentials-changed"
            try log(db, state)
        }
        return token
    }

    /// The active account `name` and a stamp of its credentials as stored now (the `credentials` an
    /// `account-event` records), or nil when there is no such active account. A page session remembers the stamp
    /// from its login and ends when it changes (a new password, or token, set since).
    public func activeAccountWithStamp(named name: String) throws -> (account: Account, stamp: String)? {
        guard Account.isValidName(name) else { return nil }
        return try read(.init(de: "Konto lesen", en: "read account")) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]) else { return nil }
            let account = try Self.account(from: row)
            guard account.isActive, try ledger.matchesLog(row, in: db) else { return nil }
            return (account, try Self.loggedState(of: row).credentials)
        }
    }

    /// What an `account-event` records of an account row: role, municipality, credentials, disabled-at
    /// (`event` is `recorded`; the caller names the event).
    /// A value ConsentGate would not have written is a `StoredRowError` naming the account and the column.
    static func loggedState(of row: Row) throws(StoredRowError) -> AccountEventRecord {
        let r = StoredRow(row, table: "account", keyColumn: "name")
        return AccountEventRecord(event: "recorded", account: try r.value("name"), role: try r.value("role"),
                                  municipality: try r.optional("municipality"),
                                  credentials: credentials(tokenDigest: try r.value("token_digest"), passwordHash: try r.optional("password_hash")),
                                  disabledAt: try r.optional("disabled_at"))
    }

    /// `sha256:` over the token digest and the password hash as stored: an `account-event` binds the credentials an
    /// account was created with, so a token or password swapped into the table shows, while the entry reveals
    /// neither (the scrypt hash and its salt stay out of the log).
    static func credentials(tokenDigest: String, passwordHash: String?) -> String {
        SHA256.tagged(Array((tokenDigest + "\n" + (passwordHash ?? "")).utf8))
    }

    /// The active account whose API token is `token`, or nil (unknown, malformed, disabled, or a row that does not
    /// match its logged `account-event`s).
    public func authenticate(token: String) throws -> Account? {
        guard APIToken.isWellFormed(token) else { return nil }
        let digest = APIToken.digest(token)
        let load = { () throws -> Account? in
            try read(.init(de: "Token prüfen", en: "authenticate token")) { db -> Account? in
                // Only a row its account-events account for (checked in the same snapshot as the row); the read
                // cache then keeps the verified account until any account changes.
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE token_digest = ? AND disabled_at IS NULL",
                                                 arguments: [digest]),
                      try ledger.matchesLog(row, in: db) else { return nil }
                return try Self.account(from: row)
            }
        }
        guard let cache else { return try load() }
        return try cache.account(tokenDigest: digest, load: load)
    }

    /// The active account `name` if `password` is its password, else nil. Takes about as long for an
    /// unknown name as for a wrong password, so the timing does not tell which names exist. A name outside
    /// the account-name rule (U+0000 included, which SQLite would cut the name at) matches no account.
    public func authenticate(name: String, password: String) throws -> Account? {
        try authenticateWithStamp(name: name, password: password)?.account
    }

    /// `authenticate(name:password:)`, with the stamp of the credentials the password was checked against (what a
    /// page session remembers, see `activeAccountWithStamp`), both from the one row read. Never rehashes (`logIn` does).
    public func authenticateWithStamp(name: String, password: String) throws -> (account: Account, stamp: String)? {
        try logIn(name: name, password: password, rehash: nil).map { ($0.account, $0.stamp) }
    }

    /// A page login: the active account `name` if `password` is its password (with its credentials stamp), else nil,
    /// as `authenticateWithStamp`. With `rehash`, a stored hash made with parameters weaker than `rehash.parameters`
    /// (`PasswordHashing.Parameters.isWeaker(than:)`) is replaced by a new hash of the password, known only now, with
    /// those parameters (`PasswordRehash`); the result says whether that happened. A failed rehash does not fail the
    /// login (`PasswordRehashOutcome.failed`): the stored hash stays valid and the next login tries again.
    ///
    /// An unknown name is checked against a decoy with `rehash.parameters` (`.standard` without `rehash`): what a real
    /// check costs once every hash has been raised to them, so the timing does not tell which names exist.
    public func logIn(name: String, password: String, rehash: PasswordRehash?) throws -> PasswordLogin? {
        var row: Row?
        var matchesLog = false
        if Account.isValidName(name) {
            (row, matchesLog) = try read(.init(de: "Passwort prüfen", en: "authenticate password")) { db in
                let row = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name])
                return (row, try row.map { try ledger.matchesLog($0, in: db) } ?? false)
            }
        }
        guard let row, let stored = try StoredRow(row, table: "account", keyColumn: "name").optional("password_hash", as: String.self) else {
            _ = PasswordHashing.verify(password, against: Self.decoyHash(for: rehash?.parameters ?? .standard))
            return nil
        }
        // The password is checked also for a row that does not match its log, so the timing tells nothing either.
        guard PasswordHashing.verify(password, against: stored), matchesLog else { return nil }
        let account = try Self.account(from: row)
        guard account.isActive else { return nil }
        let tokenDigest: String = try StoredRow(row, table: "account", keyColumn: "name").value("token_digest")
        let login = { (hash: String, outcome: PasswordRehashOutcome) in
            PasswordLogin(account: account, stamp: Self.credentials(tokenDigest: tokenDigest, passwordHash: hash), rehash: outcome)
        }
        guard let rehash, let old = PasswordHashing.parameters(of: stored), old.isWeaker(than: rehash.parameters) else {
            return login(stored, .notNeeded)
        }
        do {
            guard let upgraded = try replaceHash(checked: row, password: password, rehash: rehash) else { return login(stored, .superseded) }
            return login(upgraded, .rehashed(from: old))
        } catch {
            return login(stored, .failed(error))
        }
    }

    /// Stores a new hash of `password` (just checked against `checked`, a row that matched its log) with
    /// `rehash.parameters` and logs the row's state after it as `account-event` `password-rehashed` in the same
    /// transaction, the way `changeCredentials` logs `credentials-changed`: the next login's log check and `audit verify`
    /// find the row as its latest event recorded it. Returns the new hash, or nil when the row changed since it was
    /// checked (a password, token or disabled flag set meanwhile wins and is not overwritten).
    ///
    /// Only an unchanged row that still matches its log is written: the event records the row's state, so logging a row
    /// changed by hand in between would make its log agree with the change.
    func replaceHash(checked: Row, password: String, rehash: PasswordRehash) throws -> String? {
        // Hashed before the write transaction: scrypt takes a while and must not hold the writer.
        let newHash = try PasswordHashing.hash(password, parameters: rehash.parameters)
        let before = try Self.loggedState(of: checked)
        let storedBefore: String? = try StoredRow(checked, table: "account", keyColumn: "name").optional("password_hash")
        return try write(.init(de: "Passwort-Hash erneuern", en: "rehash password")) { db -> String? in
            guard let current = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [before.account]),
                  try Self.loggedState(of: current) == before, try StoredRow(current, table: "account", keyColumn: "name").optional("password_hash", as: String.self) == storedBefore,
                  try ledger.matchesLog(current, in: db) else { return nil }
            try db.execute(sql: "UPDATE account SET password_hash = ? WHERE name = ?", arguments: [newHash, before.account])
            guard let updated = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [before.account]) else {
                throw AccountError.unknownAccount(before.account)
            }
            var state = try Self.loggedState(of: updated)
            state.event = PasswordRehash.event
            try rehash.log(db, state)
            return newHash
        }
    }

    /// A well-formed hash with `parameters` that no password matches, verified against when the name is unknown: it
    /// costs what a real check with `parameters` costs (`PasswordHashing.decoy`).
    static func decoyHash(for parameters: PasswordHashing.Parameters) -> String { PasswordHashing.decoy(parameters: parameters) }

    /// The account an `account` row holds; a value ConsentGate would not have written is a `StoredRowError`.
    static func account(from row: Row) throws -> Account {
        let r = StoredRow(row, table: "account", keyColumn: "name")
        let roleText: String = try r.value("role")
        guard let role = AccountRole(rawValue: roleText) else {
            throw r.unreadable("role", LocalizedText(de: "nennt keine bekannte Rolle", en: "names no known role"))
        }
        func time(_ column: String, _ text: String) throws(StoredRowError) -> Date {
            guard let t = RFC3339.parse(text) else {
                throw r.unreadable(column, LocalizedText(de: "ist kein RFC-3339-Zeitpunkt", en: "is not an RFC 3339 time"))
            }
            return t
        }
        let created = try time("created_at", try r.value("created_at"))
        let disabled = try r.optional("disabled_at", as: String.self).map { (t: String) throws(StoredRowError) in try time("disabled_at", t) }
        return Account(name: try r.value("name"), role: role, municipality: try r.optional("municipality"),
                       createdAt: created, disabledAt: disabled)
    }

    private func read<T>(_ operation: LocalizedText, _ body: (Database) throws -> T) throws -> T {
        do { return try database.writer.read(body) } catch let e as AccountError { throw e } catch let e as StorageError { throw e } catch {
            throw StorageError.wrapping(error, operation: operation)
        }
    }

    private func write<T>(_ operation: LocalizedText, _ body: (Database) throws -> T) throws -> T {
        do { return try database.writer.write(body) } catch let e as AccountError { throw e } catch {
            throw StorageError.wrapping(error, operation: operation)
        }
    }
}
