import Foundation
import GRDB
import Signing
import Testing
@testable import Gate

/// The login throttle's device cookies in the installation's database (`DeviceCookieStore`, table `device_cookie`):
/// before, they lived in the memory of one `serve` process, so a restart (or a second process on the database) made
/// every browser an untrusted client again, whom wrong passwords typed for the account name lock out. Real SQLite
/// files in a temporary folder throughout.
@Suite struct DeviceCookieStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let actor = Actor(id: "admin.kreis")

    /// A fresh folder for the database file, removed with the test.
    let inst: GateTestInstallation
    init() throws { inst = try GateTestInstallation() }

    @Test("a cookie issued before the database is closed is honoured after it is opened again, for its name only")
    func survivesReopening() throws {
        let token: String
        do {
            let store = DeviceCookieStore(database: try AppDatabase.open(path: inst.databasePath))
            token = try store.issue(for: "Anna", now: Self.t0)
        }
        let reopened = DeviceCookieStore(database: try AppDatabase.open(path: inst.databasePath))
        #expect(try reopened.isValid(token: token, for: "anna", now: Self.t0.addingTimeInterval(60)))
        #expect(try reopened.isValid(token: token, for: "ANNA", now: Self.t0.addingTimeInterval(60)), "names are compared lower-cased")
        #expect(try !reopened.isValid(token: token, for: "bert", now: Self.t0.addingTimeInterval(60)), "only for the name it was issued for")
        #expect(try !reopened.isValid(token: Base64URL.encode(try SecureRandom.bytes(32)), for: "anna", now: Self.t0), "an unknown token")
    }

    @Test("two stores on one file (two processes' pools): each honours the other's cookies, and a renewal drops the old one for both")
    func twoInstancesShareCookies() throws {
        let a = DeviceCookieStore(database: try AppDatabase.open(path: inst.databasePath))
        let b = DeviceCookieStore(database: try AppDatabase.open(path: inst.databasePath))
        let first = try a.issue(for: "anna", now: Self.t0)
        #expect(try b.isValid(token: first, for: "anna", now: Self.t0))
        // The browser logs in through the other process, presenting the cookie: it gets a new one, the old one is gone.
        let renewed = try b.issue(for: "anna", replacing: first, now: Self.t0.addingTimeInterval(1))
        #expect(try a.isValid(token: renewed, for: "anna", now: Self.t0.addingTimeInterval(2)))
        #expect(try !a.isValid(token: first, for: "anna", now: Self.t0.addingTimeInterval(2)))
        #expect(try a.count(for: "anna") == 1)
    }

    @Test("a cookie is honoured for its lifetime only; expired rows are deleted when a new cookie is written")
    func expiry() throws {
        let store = DeviceCookieStore(database: try AppDatabase.open(path: inst.databasePath), lifetime: 3600)
        let old = try store.issue(for: "anna", now: Self.t0)
        _ = try store.issue(for: "bert", now: Self.t0.addingTimeInterval(1800))
        #expect(try store.isValid(token: old, for: "anna", now: Self.t0.addingTimeInterval(3599)))
        #expect(try !store.isValid(token: old, for: "anna", now: Self.t0.addingTimeInterval(3600)))
        #expect(try store.count() == 2, "an expired row stays until the next write")
        _ = try store.issue(for: "carl", now: Self.t0.addingTimeInterval(3600))
        #expect(try store.count(for: "anna") == 0, "the expired row was deleted by the write")
        #expect(try store.count() == 2, "bert's (not expired) and carl's remain")
    }

    /// (per name, in all): the caps of the table, the oldest going first.
    @Test("the per-name cap keeps a name's newest cookies; the global cap drops the oldest of all", arguments: [(2, 5), (3, 4)])
    func caps(_ limits: (perName: Int, total: Int)) throws {
        let store = DeviceCookieStore(database: try AppDatabase.open(path: inst.databasePath),
                                      maxDevices: limits.total, maxDevicesPerName: limits.perName)
        var second = 0.0
        func issue(_ name: String) throws -> String { second += 1; return try store.issue(for: name, now: Self.t0.addingTimeInterval(second)) }
        let anna = try (0..<(limits.perName + 2)).map { _ in try issue("anna") }
        let now = Self.t0.addingTimeInterval(100)
        #expect(try store.count(for: "anna") == limits.perName)
        #expect(try anna.map { try store.isValid(token: $0, for: "anna", now: now) }
                == Array(repeating: false, count: 2) + Array(repeating: true, count: limits.perName), "the name's oldest went first")
        // Other names fill the table: once it holds `total`, each new cookie drops the oldest of all (anna's first).
        let others = try (0..<limits.total).map { try issue("colleague\($0)") }
        #expect(try store.count() == limits.total)
        #expect(try anna.map { try store.isValid(token: $0, for: "anna", now: now) }.allSatisfy { !$0 }, "anna's were the oldest")
        #expect(try others.enumerated().allSatisfy { try store.isValid(token: $0.element, for: "colleague\($0.offset)", now: now) })
        _ = try issue("dora")
        #expect(try !store.isValid(token: others[0], for: "colleague0", now: now), "the oldest of all went")
        #expect(try store.count() == limits.total)
    }

    @Test("the table holds the token's SHA-256, the lower-cased name and the issue time; the token is nowhere in the files")
    func tokenNotStoredInClear() throws {
        let database = try AppDatabase.open(path: inst.databasePath)
        let token = try DeviceCookieStore(database: database).issue(for: "Anna.Kreis", now: Self.t0)
        // Read the table directly, as anyone with the file would.
        let reader = try DatabaseQueue(path: inst.databasePath)
        let (columns, rows) = try reader.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('device_cookie') ORDER BY cid"),
             try Row.fetchAll(db, sql: "SELECT * FROM device_cookie"))
        }
        #expect(columns == ["digest", "name", "issued_at"])
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect((row["digest"] as String) == "sha256:" + SHA256.hex(Array(token.utf8)))
        #expect((row["name"] as String) == "anna.kreis")
        #expect((row["issued_at"] as String) == RFC3339.format(Self.t0))
        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: inst.databasePath + suffix))) ?? Data()
            #expect(bytes.range(of: Data(token.utf8)) == nil, "the token is in \(suffix.isEmpty ? "the file" : suffix)")
        }
    }

    /// How an account changes, and whether its device cookies remain afterwards.
    enum Change: String, CaseIterable, Sendable { case disable, newPassword, passwordRemoved, newTokenOnly }

    @Test("disabling an account or changing its password drops its device cookies (in every process); a new token alone does not",
          arguments: Change.allCases)
    func accountChangesDropCookies(_ change: Change) throws {
        let gate = try inst.open()
        let fast = PasswordHashing.Parameters(logN: 10, r: 8, p: 1)
        for name in ["root", "anna", "bert"] {
            _ = try gate.addAccount(name: name, role: .admin, municipality: nil, password: "ein langes Passwort", actor: Self.actor,
                                    passwordParameters: fast)
        }
        // Issued through another pool on the same file, as the serving process would.
        let serving = DeviceCookieStore(database: try AppDatabase.open(path: inst.databasePath))
        let now = Date()
        let anna = try (0..<3).map { _ in try serving.issue(for: "anna", now: now) }
        let bert = try serving.issue(for: "bert", now: now)
        switch change {
        case .disable: try gate.disableAccount(name: "anna", actor: Self.actor)
        case .newPassword:
            _ = try gate.changeAccountCredentials(name: "anna", newToken: false, password: .set("ein neues langes Passwort"),
                                                  actor: Self.actor, passwordParameters: fast)
        case .passwordRemoved: _ = try gate.changeAccountCredentials(name: "anna", newToken: false, password: .remove, actor: Self.actor)
        case .newTokenOnly: _ = try gate.changeAccountCredentials(name: "anna", newToken: true, password: .keep, actor: Self.actor)
        }
        let kept = change == .newTokenOnly
        #expect(try anna.allSatisfy { try serving.isValid(token: $0, for: "anna", now: now) == kept })
        #expect(try serving.count(for: "anna") == (kept ? 3 : 0))
        #expect(try serving.isValid(token: bert, for: "bert", now: now), "another account's cookie stays")
    }
}
