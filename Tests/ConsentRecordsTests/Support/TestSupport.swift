import ChildProcess
import Foundation
import GRDB
import PolicyEngine
import Signing
@testable import ConsentRecords
import TestFolders

/// Fixture files, fixed times and the test template.
enum Fixture {
    static let directory: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    static func bytes(_ relative: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(relative)))) }

    static func date(_ text: String) -> Date { RFC3339.parse(text)! }

    /// "Now" in most tests.
    static let now = date("2026-11-25T12:00:00Z")
    static let grantedAt = date("2026-11-25T10:00:00Z")
    static let expiresAt = date("2028-11-25T10:00:00Z")
    /// An adult's birth date: the guardian rule holds without a guardian.
    static let adultBirthDate = date("1980-05-01T00:00:00Z")

    /// The test template `kim-test` version 2: three clauses, minimum age 16, at most two years.
    static let template: ConsentTemplate = {
        let texts = Dictionary(uniqueKeysWithValues: ["de", "en", "uk"].map { lang in
            (lang, try! String(contentsOfFile: path("templates/beratung.\(lang).md"), encoding: .utf8))
        })
        return ConsentTemplate(id: "kim-test", version: 2, texts: texts, minimumAge: 16, maxValidity: ISODuration("P2Y")!, clauses: [
            .init(id: "jobcenter-vermittlung", partners: ["jobcenter"], purposes: ["job-placement"],
                  categories: ["identity", "contact", "qualifications"], explicit: false,
                  text: ["de": "Weitergabe an das Jobcenter zur Arbeitsvermittlung.",
                         "en": "Sharing with the job centre for job placement.",
                         "uk": "Передача до джобцентру для працевлаштування."]),
            .init(id: "jugendamt-gesundheit", partners: ["jugendamt"], purposes: ["child-welfare"],
                  categories: ["health"], explicit: true),
            .init(id: "schulamt-planung", partners: ["schulamt"], purposes: ["school-planning"],
                  categories: ["identity", "schooling"], explicit: false),
        ])
    }()

    /// An older version of the same template, with one clause.
    static let templateV1 = ConsentTemplate(id: "kim-test", version: 1, texts: ["de": "Alt."], minimumAge: 16,
                                            maxValidity: ISODuration("P1Y")!, clauses: [
        .init(id: "jobcenter-vermittlung", partners: ["jobcenter"], purposes: ["job-placement"], categories: ["identity"], explicit: false),
    ])

    static let templates = [templateV1, template]

    static let collector = CaseManagerReference(caseManager: "cm-017", municipality: "Troisdorf")

    /// A valid declaration for the test template; change what a test needs.
    static func declaration(id: UUID = UUID(), subject: String = "RSK-2022-000017", version: Int = 2, language: String = "uk",
                            clauses: [String] = ["jobcenter-vermittlung"], grantedAt: Date = grantedAt,
                            expiresAt: Date = expiresAt, guardians: [Guardian] = [], evidence: String? = nil) -> ConsentDeclaration {
        ConsentDeclaration(id: id, subject: subject, template: .init(id: "kim-test", version: version), language: language,
                           clauses: clauses, grantedAt: grantedAt, expiresAt: expiresAt, collectedBy: collector,
                           guardians: guardians, evidence: evidence)
    }
}

/// A freshly generated key and its trust-store entry.
struct TestSigner {
    let key: PrivateKey
    let trusted: TrustedKey

    init(_ algorithm: SignatureAlgorithm = .ed25519, roles: Set<KeyRole> = [.consentSigner],
         notBefore: Date = Fixture.date("2026-01-01T00:00:00Z"), notAfter: Date = Fixture.date("2030-01-01T00:00:00Z"),
         revokedAt: Date? = nil) throws {
        key = try PrivateKey.generate(algorithm)
        trusted = TrustedKey(kid: key.publicKey.kid, name: "test \(algorithm.rawValue)", publicKey: key.publicKey,
                             publicKeyFile: "test.pub.pem", privateKeyFile: nil, roles: roles, notBefore: notBefore,
                             notAfter: notAfter, revokedAt: revokedAt, demo: false)
    }

    var kid: String { key.publicKey.kid }
}

/// A verifier over `signers` and the test templates.
func makeVerifier(_ signers: [TestSigner], templates: [ConsentTemplate] = Fixture.templates) -> ConsentVerifier {
    ConsentVerifier(trustStore: TrustStore(keys: signers.map(\.trusted), demoMode: false), templates: templates)
}

/// Real SQLite files in a test's temporary folder, opened as the application opens its database.
enum TestDatabase {
    /// A new folder for database files; it is removed with everything in it when the test lets go of it.
    static func folder() throws -> TemporaryDirectory { try TemporaryDirectory("consentgate-consent") }

    /// The path of the database file `name` in `folder`.
    static func path(in folder: TemporaryDirectory, _ name: String = "consentgate.sqlite") -> String {
        folder.url.appendingPathComponent(name).path
    }

    /// A `DatabasePool` (WAL) with full synchronous commits, a busy timeout, and the consent migrations run.
    static func open(_ path: String) throws -> DatabasePool {
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        config.busyMode = .timeout(30)
        let pool = try DatabasePool(path: path, configuration: config)
        var migrator = DatabaseMigrator()
        ConsentSchema.registerMigrations(in: &migrator)
        ConsentSchema.registerClauseWithdrawalMigration(in: &migrator)
        try migrator.migrate(pool)
        return pool
    }

    /// A store on the database file at `path` (created when new).
    static func store(_ verifier: ConsentVerifier, path: String) throws -> ConsentStore {
        ConsentStore(database: try open(path), verifier: verifier)
    }
}

/// Runs a program and returns its exit status, standard output and standard error.
func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let result = try Spawn.run(executable, arguments)
    return (result.status, result.stdoutText, result.stderrText)
}
