import AuditLog
import ChildProcess
import ConsentRecords
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// A throw-away ConsentGate installation for one test: a fresh SQLite file in its own temporary folder, the
/// shipped policy bundle (or a copy of it) and the shipped demo keys, opened in demo mode. The folder is removed when
/// the installation is released (a local of the test or a stored property of its suite: after the test, also when it
/// failed or threw), or earlier by `remove()`.
final class GateTestInstallation: Sendable {
    /// The package root (three folders above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The shipped policy bundle.
    static let shippedPolicy = packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path
    /// The shipped trust store (demo keys).
    static let trustFile = packageRoot.appendingPathComponent("keys/trust.yaml").path

    /// The test's own folder (database, policy copies).
    let dir: URL
    var databasePath: String { dir.appendingPathComponent("db/consentgate.sqlite").path }

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gate-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { remove() }

    /// Removes the folder.
    func remove() { try? FileManager.default.removeItem(at: dir) }

    /// The configuration of this installation with `policy` (default: the shipped bundle).
    func configuration(policy: String = GateTestInstallation.shippedPolicy) -> GateConfiguration {
        GateConfiguration(databasePath: databasePath, policyDirectory: policy, trustFile: Self.trustFile, demoMode: true,
                          environment: [:])
    }

    /// The configuration of a real (non-demo) installation in this folder: its own encrypted audit-log and
    /// consent keys (and an export-signer key when asked), their trust store and a passphrase file.
    func realConfiguration(withExportSigner: Bool = false) throws -> GateConfiguration {
        let always = (Date(timeIntervalSince1970: 0), Date().addingTimeInterval(86_400 * 365))
        let roles: [(String, KeyRole)] = [("audit", .auditLog), ("consents", .consentSigner)] + (withExportSigner ? [("export", .exportSigner)] : [])
        return try realConfiguration(keys: roles.map { KeySpec(name: $0.0, role: $0.1, notBefore: always.0, notAfter: always.1) }).configuration
    }

    /// One key of `realConfiguration(keys:)`: its file name stem, role and validity window.
    struct KeySpec {
        var name: String
        var role: KeyRole
        var notBefore: Date
        var notAfter: Date
        var revokedAt: Date? = nil
    }

    /// The configuration of a real (non-demo) installation in this folder with the encrypted Ed25519 keys `keys`
    /// (`keys/<name>.key.pem`, passphrase "real passphrase", in `keys/trust.yaml` in that order) and a passphrase file;
    /// with the kid of each key by name.
    func realConfiguration(keys specs: [KeySpec]) throws -> (configuration: GateConfiguration, kids: [String: String]) {
        let keys = dir.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        var store = TrustStore(keys: [], demoMode: false, directory: keys.path)
        var kids: [String: String] = [:]
        for spec in specs {
            let key = try PrivateKey.generate(.ed25519)
            try key.write(to: keys.appendingPathComponent("\(spec.name).key.pem").path, passphrase: "real passphrase", iterations: 1000)
            try key.publicKey.write(to: keys.appendingPathComponent("\(spec.name).pub.pem").path)
            try store.add(TrustedKey(kid: key.publicKey.kid, name: spec.name, publicKey: key.publicKey, publicKeyFile: "\(spec.name).pub.pem",
                                     privateKeyFile: "\(spec.name).key.pem", roles: [spec.role], notBefore: spec.notBefore,
                                     notAfter: spec.notAfter, revokedAt: spec.revokedAt, demo: false))
            kids[spec.name] = key.publicKey.kid
        }
        let trustFile = keys.appendingPathComponent("trust.yaml").path
        try store.save(to: trustFile)
        let passphraseFile = keys.appendingPathComponent("pass.txt").path
        try Data("real passphrase\n".utf8).write(to: URL(fileURLWithPath: passphraseFile))
        return (GateConfiguration(databasePath: databasePath, policyDirectory: Self.shippedPolicy, trustFile: trustFile, demoMode: false,
                                  passphraseFile: passphraseFile, environment: [:]), kids)
    }

    /// Waits until no connection of this process holds the database open (its in-use lock free, as a restore needs it),
    /// at most `seconds`: a `Gate` let go of closes its pool's connections shortly after, not at once (GRDB closes them
    /// on their own queues), and the in-use lock lives as long as the pool (`AppDatabase.open`). Throws when it stays held.
    func waitUntilClosed(seconds: Double = 10) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            do { withExtendedLifetime(try InstallationUse(databasePath: databasePath, exclusive: true)) {}; return } catch let e as InstallationInUseError {
                if Date() > deadline { throw e }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    /// Opens the installation.
    func open(policy: String = GateTestInstallation.shippedPolicy, actor: Actor = Actor(id: "test-system")) throws -> Gate {
        try Gate.open(configuration(policy: policy), actor: actor)
    }

    /// Copies the shipped bundle to `name` inside the test folder, applying `edits` (file → [(old, new)]) where each
    /// `old` must occur exactly once. Returns the copy's path.
    func policyCopy(_ name: String, edits: [String: [(String, String)]] = [:]) throws -> String {
        let target = dir.appendingPathComponent(name)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.shippedPolicy), to: target)
        for (file, replacements) in edits {
            let url = target.appendingPathComponent(file)
            var text = try String(contentsOf: url, encoding: .utf8)
            for (old, new) in replacements {
                let count = text.components(separatedBy: old).count - 1
                try #require(count == 1, "\(file): \"\(old)\" occurs \(count) times, expected once")
                text = text.replacingOccurrences(of: old, with: new)
            }
            try Data(text.utf8).write(to: url)
        }
        return target.path
    }

    /// Runs SQL on the database file with the stock `sqlite3` command (a raw change behind the application's back).
    @discardableResult
    func sqlite(_ sql: String) throws -> String {
        let result = try Spawn.run("/usr/bin/env", ["sqlite3", "-cmd", ".timeout 10000", databasePath, sql])
        try #require(result.status == 0, "sqlite3 failed: \(result.stderrText)")
        return result.stdoutText
    }
}

/// Fixed times and request builders shared by the Gate tests.
enum Fixture {
    static func time(_ text: String) -> Date { RFC3339.parse(text)! }
    static func day(_ text: String) -> Date { Date(timeIntervalSince1970: Double(UTCDay.parse(text)!) * 86_400) }

    static let subjectID = "RSK-2022-000002"
    static let grantedAt = time("2026-01-10T09:00:00Z")
    /// 09:00 UTC thirty days before today: for a consent that must still be in force when the test checks "now" (one
    /// granted at `grantedAt` runs out in 2028, and such a test would then fail, not the code).
    static var recentGrantedAt: Date { Date(timeIntervalSince1970: (floor(Date().timeIntervalSince1970 / 86_400) - 30) * 86_400 + 9 * 3_600) }
    static let caseManager = CaseManagerReference(caseManager: "cm.troisdorf.1", municipality: "Troisdorf")
    static let actor = Actor(id: "cm.troisdorf.1", municipality: "Troisdorf")

    /// An adult in Troisdorf.
    static func adult(_ id: String = subjectID) -> Subject {
        Subject(id: id, birthDate: day("1948-07-18"), municipality: "Troisdorf")
    }

    static func grant(_ subject: Subject = adult(), template: String = "kim-beratung", clauses: [String] = ["jobcenter"],
                      grantedAt: Date = grantedAt, validity: ISODuration? = nil, guardians: [Guardian] = []) -> GrantRequest {
        GrantRequest(subject: subject, templateID: template, language: "de", clauses: clauses, grantedAt: grantedAt,
                     validity: validity, collectedBy: caseManager, guardians: guardians)
    }

    static func jobcenterCheck(_ subject: String = subjectID, fields: [String] = ["name.family", "address.street", "health.notes"],
                               at: Date?) -> CheckRequest {
        CheckRequest(subject: subject, partner: "jobcenter", purpose: "job-placement", fields: fields, at: at)
    }
}

extension Gate {
    /// Every entry of the log, decoded, with its index.
    func allEntries() throws -> [(index: Int64, entry: AuditEntry)] {
        try (0..<auditLog.size()).map { i in
            (i, try AuditEntry(bytes: auditLog.entryBytes(index: i), context: "entry \(i)"))
        }
    }

    /// The entries of one kind.
    func entries(kind: AuditEntryKind) throws -> [(index: Int64, entry: AuditEntry)] {
        try allEntries().filter { $0.entry.kind == kind }
    }

    /// Recomputes the tree and checks every checkpoint with the trust store's audit-log key.
    @discardableResult
    func verifyAuditLog() throws -> AuditVerificationReport {
        try auditLog.verify(keys: auditVerifierKeys())
    }
}

extension Decision {
    /// The decision for one field.
    func field(_ id: String) -> FieldDecision? { fields.first { $0.field == id } }
}
