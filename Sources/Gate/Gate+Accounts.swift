import AuditLog
import Diagnostics
import Foundation
import GRDB
import Signing

extension Gate {
    /// Creates an account of the web service and API and logs its `account-event` (`created`) in the same
    /// transaction: an account exists only if the audit log says who created it, when, with which role.
    /// `password` (for the page login) is optional; the API token is returned once and stored only as a hash. A case
    /// worker's municipality must be one of the policy's `municipalities` (`AccountError.unknownMunicipality`).
    public func addAccount(name: String, role: AccountRole, municipality: String?, password: String?, actor: Actor,
                           now: Date = Date(), passwordParameters: PasswordHashing.Parameters = .standard) throws -> NewAccount {
        let log = try accountEventLogger(actor: actor, now: now)
        return try accounts.add(name: name, role: role, municipality: municipality, password: password, now: now,
                                passwordParameters: passwordParameters, municipalities: policy.bundle.countyMunicipalities, log: log)
    }

    /// Disables an account (token, password and sessions stop working) and logs its `account-event`
    /// (`disabled`) in the same transaction.
    public func disableAccount(name: String, actor: Actor, now: Date = Date()) throws {
        try accounts.disable(name: name, now: now, log: try accountEventLogger(actor: actor, now: now))
    }

    /// Replaces an account's API token (`newToken`: the new one is returned, once) and/or its page password, and logs
    /// its `account-event` (`credentials-changed`) in the same transaction: a lost or leaked token, a forgotten
    /// password, an API-created account's first password. Page sessions begun before the change end at their next
    /// request (the web service compares the credentials stamp, `AccountStore.activeAccountWithStamp`).
    public func changeAccountCredentials(name: String, newToken: Bool, password: PasswordChange, actor: Actor, now: Date = Date(),
                                         passwordParameters: PasswordHashing.Parameters = .standard) throws -> String? {
        try accounts.changeCredentials(name: name, newToken: newToken, password: password, passwordParameters: passwordParameters,
                                       log: try accountEventLogger(actor: actor, now: now))
    }

    /// What a page login needs to raise a weaker stored password hash to `parameters` (`AccountStore.logIn`): the new
    /// hash and its `account-event` (`password-rehashed`, `PasswordRehash`) are written in one transaction, the event
    /// under `actor`, by default `system`: the service replaced the hash; the person only logged in. The audit-log key
    /// is taken when a rehash happens, not now.
    public func passwordRehash(to parameters: PasswordHashing.Parameters = .standard, actor: Actor = Actor(id: "system")) -> PasswordRehash {
        PasswordRehash(parameters: parameters) { db, record in
            try self.accountEventLogger(actor: actor, now: Date())(db, record)
        }
    }

    /// The accounts of this installation (authentication answered from the read cache).
    public var accounts: AccountStore { AccountStore(database: database, cache: readCache) }

    /// Appends an account's `account-event` inside the caller's transaction.
    private func accountEventLogger(actor: Actor, now: Date) throws -> (Database, AccountEventRecord) throws -> Void {
        let signer = try auditSigner()
        let (log, digest) = (auditLog, policy.digest)
        return { db, record in
            _ = try log.append([AuditEntry(time: now, actor: actor.id, municipality: actor.municipality, policyDigest: digest,
                                           content: .accountEvent(record))], signer: signer, now: now, in: db)
        }
    }

    /// Once per installation, when account logging begins (a database from before it, or a new one): logs a
    /// `recorded` event for every account already in the table, and marks logging begun. From then on accounts
    /// change only through `addAccount`/`disableAccount`/`changeAccountCredentials` (and a login's `passwordRehash`), and
    /// `AccountRecordCheck` holds the table to the log.
    func recordAccountsWhenLoggingBegins(actor: Actor) throws {
        let existing: [AccountEventRecord]?
        do {
            existing = try database.writer.read { db in
                guard try Int.fetchOne(db, sql: "SELECT count(*) FROM account_log_began") == 0 else { return nil }
                return try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY name").map(AccountStore.loggedState(of:))
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Konten lesen", en: "read accounts")) }
        guard let existing else { return }
        let signer = try existing.isEmpty ? nil : auditSigner()
        let (log, digest, now) = (auditLog, policy.digest, Date())
        do {
            try database.writer.write { db in
                // Under the installation lock: no other open can have begun meanwhile.
                if let signer {
                    _ = try log.append(existing.map { AuditEntry(time: now, actor: actor.id, municipality: actor.municipality,
                                                                 policyDigest: digest, content: .accountEvent($0)) },
                                       signer: signer, now: now, in: db)
                }
                try db.execute(sql: "INSERT INTO account_log_began (id, at) VALUES (1, ?)", arguments: [RFC3339.format(now)])
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "vorhandene Konten protokollieren", en: "record existing accounts")) }
    }
}
