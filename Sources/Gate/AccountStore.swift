import AuditLog
import Diagnostics
import Foundation
import GRDB
import PolicyEngine
import Signing

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
            if try Row.fetchOne(db, sql: "SELECT 1 FROM account WHERE name = ?", arguments: [name]) != nil {
                throw AccountError.duplicateName(name)
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

    /// Disables the account: its token and password stop working at once, its sessions at their next request.
    /// The last active administrator is refused (`lastActiveAdmin`): the web service would have nobody left to manage
    /// accounts. A name outside the account-name rule is refused (`invalidName`) before any look-up. `log` as for `add`.
    func disable(name: String, now: Date = Date(), log: (Database, AccountEventRecord) throws -> Void) throws {
        guard Account.isValidName(name) else { throw AccountError.invalidName(name) }
        try write(.init(de: "Konto sperren", en: "disable account")) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]) else {
                throw AccountError.unknownAccount(name)
            }
            if (row["disabled_at"] as String?) != nil { throw AccountError.alreadyDisabled(name) }
            // Never the last active administrator: checked inside the write transaction, so two administrators
            // disabling each other at once cannot both pass (SQLite runs one writer at a time).
            if (row["role"] as String?) == AccountRole.admin.rawValue, try Self.otherActiveAdmins(than: name, in: db) == 0 {
                throw AccountError.lastActiveAdmin(name)
            }
            let disabledAt = RFC3339.format(now)
            try db.execute(sql: "UPDATE account SET disabled_at = ? WHERE name = ?", arguments: [disabledAt, name])
            var state = Self.loggedState(of: row)
            state.event = "disabled"; state.disabledAt = disabledAt
            try log(db, state)
        }
    }

    /// The active administrators other than `name`.
    static func otherActiveAdmins(than name: String, in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM account WHERE role = 'admin' AND disabled_at IS NULL AND name <> ?",
                         arguments: [name]) ?? 0
    }

    /// Replaces an account's credentials: a new API token (the old one stops working at once) and/or a new page
    /// password (`.set`) or none (`.remove`: API access only). The account must exist and be active (a disabled
    /// account stays disabled; an administrator creates a new one). Returns the new token when one was issued.
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
            if (row["disabled_at"] as String?) != nil { throw AccountError.disabled(name) }
            if let token {
                try db.execute(sql: "UPDATE account SET token_digest = ? WHERE name = ?", arguments: [APIToken.digest(token), name])
            }
            if let newHash {
                try db.execute(sql: "UPDATE account SET password_hash = ? WHERE name = ?", arguments: [newHash, name])
            }
            guard let updated = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]) else {
                throw AccountError.unknownAccount(name)
            }
            var state = Self.loggedState(of: updated)
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
            return (account, Self.credentials(tokenDigest: row["token_digest"], passwordHash: row["password_hash"]))
        }
    }

    /// What an `account-event` records of an account row: role, municipality, credentials, disabled-at
    /// (`event` is `recorded`; the caller names the event).
    static func loggedState(of row: Row) -> AccountEventRecord {
        AccountEventRecord(event: "recorded", account: row["name"], role: row["role"], municipality: row["municipality"],
                           credentials: credentials(tokenDigest: row["token_digest"], passwordHash: row["password_hash"]),
                           disabledAt: row["disabled_at"])
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
    /// page session remembers, see `activeAccountWithStamp`), both from the one row read.
    public func authenticateWithStamp(name: String, password: String) throws -> (account: Account, stamp: String)? {
        var row: Row?
        var matchesLog = false
        if Account.isValidName(name) {
            (row, matchesLog) = try read(.init(de: "Passwort prüfen", en: "authenticate password")) { db in
                let row = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name])
                return (row, try row.map { try ledger.matchesLog($0, in: db) } ?? false)
            }
        }
        guard let row, let stored = row["password_hash"] as String? else {
            _ = PasswordHashing.verify(password, against: Self.decoyHash)
            return nil
        }
        // The password is checked also for a row that does not match its log, so the timing tells nothing either.
        guard PasswordHashing.verify(password, against: stored), matchesLog else { return nil }
        let account = try Self.account(from: row)
        return account.isActive ? (account, Self.credentials(tokenDigest: row["token_digest"], passwordHash: stored)) : nil
    }

    /// A hash of a random password, verified against when the name is unknown (equalises timing).
    static let decoyHash: String = (try? PasswordHashing.hash(Base64URL.encode((try? SecureRandom.bytes(16)) ?? [1])))
        ?? "$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

    static func account(from row: Row) throws -> Account {
        let roleText: String = row["role"]
        guard let role = AccountRole(rawValue: roleText) else {
            throw StorageError.failed(operation: .init(de: "Konto lesen", en: "read account"), reason: .text(.init(de: "unbekannte Rolle \(roleText)", en: "unknown role \(roleText)")))
        }
        let created: String = row["created_at"]
        return Account(name: row["name"], role: role, municipality: row["municipality"],
                       createdAt: RFC3339.parse(created) ?? Date(timeIntervalSince1970: 0),
                       disabledAt: (row["disabled_at"] as String?).flatMap(RFC3339.parse))
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
