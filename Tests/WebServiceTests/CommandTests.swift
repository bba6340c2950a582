import ChildProcess
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Gate
import GRDB
import TestFolders
import Testing

/// The built `consentgate` binary: `users add|list|disable` on a real database file, and `serve`
/// printing its URL and answering on loopback.
@Suite struct CommandTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: URL { packageRoot.appendingPathComponent(".build/debug/consentgate") }

    struct Run { let status: Int32; let out: String; let err: String }

    static func run(_ args: [String], environment: [String: String] = [:]) throws -> Run {
        let r = try Spawn.run(binary.path, args, environment: .inherited(overriding: environment))
        return Run(status: r.status, out: r.stdoutText, err: r.stderrText)
    }

    /// The test's folder (removed with the suite instance after the test, also when it failed or threw).
    let folder: TemporaryDirectory
    var directory: URL { folder.url }
    var db: String { directory.appendingPathComponent("cg.sqlite").path }

    init() throws {
        folder = try TemporaryDirectory("cg-cli")
    }

    @Test func usersAddListDisable() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build first: swift build --build-tests")
        let pwFile = directory.appendingPathComponent("pw")
        try "ein langes Passwort 7\n".write(to: pwFile, atomically: true, encoding: .utf8)
        let add = try Self.run(["users", "add", "--demo", "--db", db, "--name", "anna", "--role", "caseworker", "--municipality", "Siegburg",
                                "--password-file", pwFile.path, "--json"])
        #expect(add.status == 0, "\(add.err)")
        let json = try JSONSerialization.jsonObject(with: Data(add.out.utf8)) as? [String: Any]
        let token = try #require(json?["token"] as? String)
        #expect(token.hasPrefix("cg_"))
        // The token and the password work against the same database.
        let store = AccountStore(database: try AppDatabase.open(path: db))
        #expect(try store.authenticate(token: token)?.name == "anna")
        #expect(try store.authenticate(name: "anna", password: "ein langes Passwort 7")?.role == .caseworker)

        let env = try Self.run(["users", "add", "--demo", "--db", db, "--name", "dora", "--role", "dpo", "--password-env", "CG_TEST_PW"],
                               environment: ["CG_TEST_PW": "noch ein langes Passwort", "CONSENTGATE_LANG": "de"])
        #expect(env.status == 0)
        #expect(env.out.hasPrefix("Konto dora angelegt: Rolle dpo\nAPI-Token (nur jetzt sichtbar): cg_"), "\(env.out)")
        let english = try Self.run(["users", "add", "--demo", "--db", db, "--name", "emil", "--role", "exporter"], environment: ["CONSENTGATE_LANG": "en"])
        #expect(english.out.hasPrefix("account emil created: role exporter\nAPI-Token (shown only now): cg_"), "\(english.out)")
        #expect(english.out.contains("no password set: API access only") && !english.out.contains("Passwort"), "one language only")
        #expect(try store.authenticate(name: "dora", password: "noch ein langes Passwort") != nil)

        let list = try Self.run(["users", "list", "--db", db], environment: ["CONSENTGATE_LANG": "de"])
        #expect(list.out.hasPrefix("NAME  ROLLE") && list.out.contains("anna  caseworker  Siegburg") && list.out.contains("aktiv"), "\(list.out)")
        #expect(!list.out.contains(token))

        let disable = try Self.run(["users", "disable", "--demo", "--db", db, "anna"], environment: ["CONSENTGATE_LANG": "en"])
        #expect(disable.status == 0)
        #expect(disable.out == "account anna disabled\n")
        #expect(try store.authenticate(token: token) == nil)
        let listJSON = try Self.run(["users", "list", "--db", db, "--json"])
        let rows = try JSONSerialization.jsonObject(with: Data(listJSON.out.utf8)) as? [[String: Any]]
        #expect(rows?.first { $0["name"] as? String == "anna" }?["disabled-at"] is String)

        // Each change is an `account-event` in the audit log (with who made it), and the table agrees with them.
        let log = try Self.run(["audit", "log", "--demo", "--db", db, "--kind", "account-event", "--json"], environment: ["CONSENTGATE_ACTOR": "dsb"])
        #expect(log.status == 0, "\(log.err)")
        let events = log.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.compactMap { (($0["entry"] as? [String: Any])?["content"] as? [String: Any])?["event"] as? String } == ["created", "created", "created", "disabled"], "\(log.out)")
        let verify = try Self.run(["audit", "verify", "--demo", "--db", db], environment: ["CONSENTGATE_LANG": "en"])
        #expect(verify.status == 0 && verify.out.contains("3 accounts and the erasure notices owed agree with it"), "\(verify.out)\(verify.err)")
        _ = try Spawn.run("/usr/bin/env", ["sqlite3", db, "UPDATE account SET role = 'admin', municipality = NULL WHERE name = 'emil'"])
        let tampered = try Self.run(["audit", "verify", "--demo", "--db", db], environment: ["CONSENTGATE_LANG": "en"])
        #expect(tampered.status == 4 && tampered.err.contains("account emil"), "\(tampered.err)")
    }

    @Test("users token and users password replace the credentials, logged; the old ones stop working")
    func usersTokenAndPassword() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build first: swift build --build-tests")
        let add = try Self.run(["users", "add", "--demo", "--db", db, "--name", "carla", "--role", "dpo", "--json"])
        #expect(add.status == 0, "\(add.err)")
        let old = try #require((try JSONSerialization.jsonObject(with: Data(add.out.utf8)) as? [String: Any])?["token"] as? String)
        let token = try Self.run(["users", "token", "--demo", "--db", db, "carla"], environment: ["CONSENTGATE_LANG": "en"])
        #expect(token.status == 0, "\(token.err)")
        #expect(token.out.hasPrefix("new API token for carla (shown only now; the old one no longer works): cg_"), "\(token.out)")
        let new = String(token.out.split(separator: " ").last!.dropLast())
        let store = AccountStore(database: try AppDatabase.open(path: db))
        #expect(try store.authenticate(token: old) == nil)
        #expect(try store.authenticate(token: new)?.name == "carla")

        // The API-created account's first password, read from the file's first line, never from argv.
        let pw = directory.appendingPathComponent("pw")
        try "das erste Passwort 1\nzweite Zeile\n".write(to: pw, atomically: true, encoding: .utf8)
        let set = try Self.run(["users", "password", "--demo", "--db", db, "carla", "--password-file", pw.path], environment: ["CONSENTGATE_LANG": "de"])
        #expect(set.status == 0 && set.out == "Neues Passwort für carla gesetzt; laufende Sitzungen des Kontos enden\n", "\(set.out)\(set.err)")
        #expect(try store.authenticate(name: "carla", password: "das erste Passwort 1")?.name == "carla")
        let removed = try Self.run(["users", "password", "--demo", "--db", db, "carla", "--remove", "--json"])
        #expect(removed.status == 0 && removed.out.contains("\"password\" : false"), "\(removed.out)")
        #expect(try store.authenticate(name: "carla", password: "das erste Passwort 1") == nil)
        #expect(try store.authenticate(token: new)?.name == "carla", "removing the password keeps the token")

        let log = try Self.run(["audit", "log", "--demo", "--db", db, "--kind", "account-event", "--json"])
        let events = log.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.compactMap { (($0["entry"] as? [String: Any])?["content"] as? [String: Any])?["event"] as? String }
                == ["created", "credentials-changed", "credentials-changed", "credentials-changed"], "\(log.out)")
        let verify = try Self.run(["audit", "verify", "--demo", "--db", db])
        #expect(verify.status == 0, "\(verify.out)\(verify.err)")
    }

    @Test(arguments: [
        (["users", "token", "niemand"], Int32(3), "kein Konto"),
        (["users", "password", "niemand", "--remove"], Int32(3), "kein Konto"),
        (["users", "password", "x"], Int32(2), "genau eines von --password-file, --password-env, --remove"),
        (["users", "password", "x", "--remove", "--password-env", "X"], Int32(2), "genau eines von"),
        (["users", "add", "--name", "x", "--role", "dpo", "--municipality", "Siegburg"], Int32(2), "Kommune"),
        (["users", "add", "--name", "x", "--role", "caseworker"], Int32(2), "--municipality"),
        // An unknown municipality is invalid input (3), as for `check`, `consent grant` and `consent withdraw`.
        (["users", "add", "--name", "x", "--role", "caseworker", "--municipality", "Siegbrug"], Int32(3), "Siegburg"),
        (["users", "add", "--name", "x y", "--role", "dpo"], Int32(2), "ungültiger Kontoname"),
        (["users", "disable", "niemand"], Int32(3), "kein Konto"),
        (["users", "add", "--name", "x", "--role", "dpo", "--password-env", "CG_UNSET_VARIABLE_FOR_TEST"], Int32(2), "CG_UNSET_VARIABLE_FOR_TEST"),
    ])
    func usersErrors(_ c: ([String], Int32, String)) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build first: swift build --build-tests")
        // An installation without that account: `users token|password|disable` refuse a missing database (exit 5,
        // MissingDatabaseCLITests) before they could look for the account.
        _ = try AppDatabase.open(path: db)
        let r = try Self.run(c.0 + ["--demo", "--db", db], environment: ["CONSENTGATE_LANG": "de"])
        #expect(r.status == c.1, "\(c.0): \(r.err)")
        #expect(r.err.contains(c.2), "\(c.0): \(r.err)")
    }

    /// A guard against a hang, not a speed test: 3 minutes, as the other tests that start a real `serve` (it went over
    /// 1 minute once, alone ~9 s, on a machine at load average 10).
    @Test(.timeLimit(.minutes(3)))
    func servePrintsItsURLAndAnswers() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build first: swift build --build-tests")
        let p = try Spawn.start(Self.binary.path, ["serve", "--db", db, "--port", "0", "--demo"],
                                environment: .inherited(overriding: ["CONSENTGATE_LANG": "de"]),
                                workingDirectory: Self.packageRoot.path, stderr: .null)
        defer { p.terminate(); _ = try? p.waitForExit() }
        // Read until the URL line appears (at most 20 s).
        let text = p.waitForStandardOutput(timeout: 20) { $0.contains("/  (") }
        let match = try #require(text.firstMatch(of: /http:\/\/127\.0\.0\.1:(\d+)\//), "no URL in: \(text)")
        #expect(text.contains("demo-fallmanagement (caseworker, Siegburg)"), "the municipality named: \(text)")
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(match.1)/health")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self) == "ok\n")
        // The demo data set is there: the Siegburg case worker sees a demo person's consent, not a Troisdorf one's.
        #expect(text.contains("Demodaten angelegt: 12 Personen") && text.contains("(Datenbank: "), "\(text)")
        #expect(!text.contains(" / ") && !text.contains("password"), "German only: \(text)")
        let token = try #require(text.firstMatch(of: /demo-fallmanagement \(caseworker, Siegburg\).*API-Token: (\S+)/)?.1, "\(text)")
        func consents(_ subject: String) async throws -> (Int, String) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(match.1)/v1/subjects/\(subject)/consents")!)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let (body, reply) = try await URLSession.shared.data(for: request)
            return ((reply as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: body, as: UTF8.self))
        }
        let own = try await consents("RSK-2022-000068")
        #expect(own.0 == 200 && own.1.contains("schulamt-foerderbedarf"), "\(own)")
        #expect(try await consents("RSK-2022-000044").0 == 403)
        p.terminate()
        let stopped = try p.waitForExit()
        #expect(stopped.termination.exitCode != nil, "serve stops gracefully on SIGTERM: \(stopped.termination)")
        // Stopped, its database file alone holds what it committed (the write-ahead log is checkpointed into it).
        let copy = db + ".copy"
        try FileManager.default.copyItem(atPath: db, toPath: copy)
        let fileAlone = try AppDatabase.open(path: copy)
        let accounts = try await fileAlone.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE kind = 'account-event'") } ?? 0
        #expect(accounts == 4, "the demo accounts' entries are in the file alone: \(accounts)")

        // Started again, the demo accounts' tokens are not shown again; the line says how to get a new one, and the
        // command it gives works as printed (a review: without --demo and --db it exited 4 or 5).
        let again = try Spawn.start(Self.binary.path, ["serve", "--db", db, "--port", "0", "--demo"],
                                    environment: .inherited(overriding: ["CONSENTGATE_LANG": "de"]),
                                    workingDirectory: Self.packageRoot.path, stderr: .null)
        defer { again.terminate(); _ = try? again.waitForExit() }
        let second = again.waitForStandardOutput(timeout: 20) { $0.contains("Demodaten") }
        let hint = try #require(second.firstMatch(of: /demo-dsb \(dpo\) .*ein neues: consentgate (users token demo-dsb [^)]*)\)/)?.1, "\(second)")
        let words = hint.split(separator: " ").map(String.init)
        let issued = try Self.run(words, environment: ["CONSENTGATE_LANG": "de"])
        #expect(issued.status == 0, "\(hint): \(issued.err)")
        #expect(issued.out.contains("Neues API-Token für demo-dsb"), "\(issued.out)")
    }
}
