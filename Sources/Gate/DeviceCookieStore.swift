import Diagnostics
import Foundation
import GRDB
import Signing
import StoreDiagnostics

/// The device cookies of the web service's login throttle (OWASP's "device cookies", see `LoginThrottle` in
/// WebService) in the installation's database (`device_cookie`, `DeviceCookieSchema`): a cookie issued by one `serve`
/// process is honoured by every other on the same database, and after a restart. Without that, a restart made every
/// browser an untrusted client again, whom wrong passwords typed for the account name lock out.
///
/// Only the SHA-256 of a token is stored (`digest(of:)`), with the lower-cased account name and the issue time: the
/// table holds no secret, and no personal data beyond the name. Failure counts are not kept here (they live for
/// minutes, in the throttle's memory). Writing a new cookie deletes the expired ones and keeps the caps, oldest first:
/// `maxDevicesPerName` per name, then `maxDevices` in all. Disabling an account or changing its password deletes its
/// cookies in the same transaction (`forget(name:in:)`, from `AccountStore`).
public struct DeviceCookieStore: Sendable {
    /// How long a cookie is honoured after the login that issued it, unless a store is made with another.
    public static let defaultLifetime: TimeInterval = 180 * 24 * 3600
    /// The database the cookies live in (the installation's, or a private in-memory one: `inMemory`).
    let writer: any DatabaseWriter
    /// How long a cookie is honoured after its issue.
    public let lifetime: TimeInterval
    /// The most cookies kept in all (the oldest go first; a dropped cookie makes its browser an untrusted client).
    public let maxDevices: Int
    /// The most cookies kept for one account name (its oldest go first). Without it, one account's logins could push
    /// every colleague's cookie out of the global `maxDevices`, after which wrong passwords typed for a colleague's
    /// name would lock them out again.
    public let maxDevicesPerName: Int

    /// A store over the installation's database.
    public init(database: AppDatabase, lifetime: TimeInterval = defaultLifetime, maxDevices: Int = 50_000,
                maxDevicesPerName: Int = 20) {
        self.init(writer: database.writer, lifetime: lifetime, maxDevices: maxDevices, maxDevicesPerName: maxDevicesPerName)
    }

    private init(writer: any DatabaseWriter, lifetime: TimeInterval, maxDevices: Int, maxDevicesPerName: Int) {
        precondition(maxDevices >= 1 && maxDevicesPerName >= 1 && lifetime > 0, "a device cookie store keeps at least one cookie")
        self.writer = writer; self.lifetime = lifetime; self.maxDevices = maxDevices; self.maxDevicesPerName = maxDevicesPerName
    }

    /// A store in a private in-memory database with the same table (tests of the throttle's counting that issue tens of
    /// thousands of cookies): shared with nobody, gone with the value.
    public static func inMemory(lifetime: TimeInterval = defaultLifetime, maxDevices: Int = 50_000,
                                maxDevicesPerName: Int = 20) throws -> DeviceCookieStore {
        do {
            let queue = try DatabaseQueue()
            var migrator = DatabaseMigrator()
            DeviceCookieSchema.registerMigrations(in: &migrator)
            try migrator.migrate(queue)
            return DeviceCookieStore(writer: queue, lifetime: lifetime, maxDevices: maxDevices, maxDevicesPerName: maxDevicesPerName)
        } catch {
            throw StorageError.wrapping(error, operation: .init(de: "Gerätecookies im Speicher anlegen", en: "create in-memory device cookies"))
        }
    }

    /// What the table stores of `token`: `sha256:` and the hex SHA-256 of its UTF-8 bytes.
    public static func digest(of token: String) -> String { SHA256.tagged(Array(token.utf8)) }

    /// Whether `token` has the shape of an issued token (43 base64url characters: 256 bits). Any other cookie value is
    /// no device cookie and is not looked up.
    public static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { c in
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F
        }
    }

    /// Whether `token` is a cookie issued for `name` (compared lower-cased) less than `lifetime` before `now`, and
    /// not dropped since (by a cap, a later login with it, or a change of the account).
    public func isValid(token: String, for name: String, now: Date = Date()) throws -> Bool {
        guard Self.isWellFormed(token) else { return false }
        let digest = Self.digest(of: token)
        let row = try read(.init(de: "Gerätecookie prüfen", en: "check device cookie")) { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT name, issued_at FROM device_cookie WHERE digest = ?"), arguments: [digest])
        }
        // A row changed by hand so that it no longer reads is no valid cookie (the login then asks as without one).
        guard let row else { return false }
        let stored = StoredRow(row, table: "device_cookie", keyColumn: "name")
        guard (try? stored.value("name", as: String.self)) == name.lowercased(),
              let issued = (try? stored.value("issued_at", as: String.self)).flatMap(RFC3339.parse) else { return false }
        return now.timeIntervalSince(issued) < lifetime
    }

    /// Issues a fresh cookie for `name` at `now` and returns its token (256 random bits, base64url; only its digest is
    /// stored). In the same transaction: `replacing` (the cookie the login presented, if any) is dropped, expired
    /// cookies are deleted, and the oldest go until the new one fits `maxDevicesPerName` for the name and then
    /// `maxDevices` in all (the name's own first, so the global limit is only reached by many accounts).
    public func issue(for name: String, replacing: String? = nil, now: Date = Date()) throws -> String {
        let key = name.lowercased()
        let token = Base64URL.encode(try SecureRandom.bytes(32))
        let (digest, issued) = (Self.digest(of: token), Self.stored(now))
        let expired = Self.stored(now.addingTimeInterval(-lifetime))
        let (perName, total) = (maxDevicesPerName, maxDevices)
        // Statements kept prepared by the connection: a login runs the same few each time.
        try write(.init(de: "Gerätecookie speichern", en: "store device cookie")) { db in
            if let replacing, Self.isWellFormed(replacing) {
                try db.cachedStatement(sql: "DELETE FROM device_cookie WHERE digest = ?").execute(arguments: [Self.digest(of: replacing)])
            }
            // Issued at or before the cut-off (whole seconds, rounded down): older than `lifetime`.
            try db.cachedStatement(sql: "DELETE FROM device_cookie WHERE issued_at <= ?").execute(arguments: [expired])
            try db.cachedStatement(sql: """
                DELETE FROM device_cookie WHERE rowid IN (
                    SELECT rowid FROM device_cookie WHERE name = ? ORDER BY issued_at DESC, rowid DESC LIMIT -1 OFFSET ?)
                """).execute(arguments: [key, perName - 1])
            let count = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM device_cookie")) ?? 0
            if count >= total {
                try db.cachedStatement(sql: """
                    DELETE FROM device_cookie WHERE rowid IN (SELECT rowid FROM device_cookie ORDER BY issued_at, rowid LIMIT ?)
                    """).execute(arguments: [count - total + 1])
            }
            try db.cachedStatement(sql: "INSERT INTO device_cookie (digest, name, issued_at) VALUES (?, ?, ?)")
                .execute(arguments: [digest, key, issued])
        }
        return token
    }

    /// The cookies stored for `name` (lower-cased), or in all when nil, expired ones included until the next `issue`
    /// deletes them (tests and operators' checks).
    public func count(for name: String? = nil) throws -> Int {
        try read(.init(de: "Gerätecookies zählen", en: "count device cookies")) { db in
            if let name {
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM device_cookie WHERE name = ?", arguments: [name.lowercased()]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM device_cookie") ?? 0
        }
    }

    /// Deletes every cookie of account `name` (compared lower-cased) inside the caller's transaction: when the account
    /// is disabled or its password changes, no browser stays trusted for it (as its page sessions end).
    static func forget(name: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM device_cookie WHERE name = ?", arguments: [name.lowercased()])
    }

    /// An issue time as stored: RFC 3339 in UTC, rounded down to the whole second, so that every stored text has the
    /// same length and sorts as the time does.
    static func stored(_ time: Date) -> String {
        RFC3339.format(Date(timeIntervalSince1970: (time.timeIntervalSince1970).rounded(.down)))
    }

    private func read<T>(_ operation: LocalizedText, _ body: (Database) throws -> T) throws -> T {
        do { return try writer.read(body) } catch { throw StorageError.wrapping(error, operation: operation) }
    }

    private func write<T>(_ operation: LocalizedText, _ body: (Database) throws -> T) throws -> T {
        do { return try writer.write(body) } catch { throw StorageError.wrapping(error, operation: operation) }
    }
}
