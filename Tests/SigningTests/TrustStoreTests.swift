import Diagnostics
import Foundation
import Testing
@testable import Signing

/// Loading, validating and saving `trust.yaml`, and the "had role R at time T" decision.
@Suite struct TrustStoreTests {
    struct BadFile: Decodable, Sendable, CustomTestStringConvertible {
        let file: String
        let line: Int?
        let column: Int?
        let contains: String
        var testDescription: String { file }
    }

    static let badFiles: [BadFile] = {
        let data = try! Data(contentsOf: TestSupport.fixture("trust/cases.json"))
        return try! JSONDecoder().decode([BadFile].self, from: data)
    }()

    static func good(demoMode: Bool = false) throws -> TrustStore {
        try TrustStore.load(file: TestSupport.fixture("trust/good.yaml").path, demoMode: demoMode)
    }

    static let ed = "Pd8gLj670WBG9zDt-ZzYdKyUAkS1a1i3e1iSlxcouk8"
    static let p256 = "XNNcF9cO6Z2EEBeKkTo6IZ7gxtwBJZbxSsc3-x6SS3E"

    static func date(_ s: String) -> Date { RFC3339.parse(s)! }

    @Test(arguments: badFiles)
    func invalidTrustFileNamesFileLineAndColumn(_ bad: BadFile) throws {
        let path = TestSupport.fixture("trust/" + bad.file).path
        #expect {
            try TrustStore.load(file: path, demoMode: false)
        } throws: { error in
            guard let e = error as? SigningError, case let .invalidTrustStore(file, line, column, reason) = e else { return false }
            #expect(file == path)
            if let expected = bad.line { #expect(line == expected) } else { #expect(line != nil) }
            if let expected = bad.column { #expect(column == expected) }
            #expect(reason.en.contains(bad.contains), "\(reason.en)")
            #expect(reason.de != reason.en)
            #expect(e.category == .invalidInput)
            #expect(e.message(in: .en).hasPrefix("\(path):\(line ?? 0)"))
            return true
        }
    }

    /// Adding a kid the store holds already is refused, naming the file the store came from (here `good.yaml`; until
    /// 2026-12-06 the error named `<folder>/trust.yaml` whatever the file was called).
    @Test func addingAKnownKidNamesTheLoadedFile() throws {
        var store = try Self.good()
        let known = try #require(store.keys[Self.ed])
        #expect {
            try store.add(known)
        } throws: { error in
            guard case let .invalidTrustStore(file, _, _, reason)? = error as? SigningError else { return false }
            #expect(file == TestSupport.fixture("trust/good.yaml").path)
            #expect(reason.en.contains(Self.ed) && reason.de.contains(Self.ed))
            return true
        }
        #expect(store.order == [Self.ed, Self.p256], "nothing added")
    }

    @Test func goodFileLoads() throws {
        let store = try Self.good()
        #expect(store.order == [Self.ed, Self.p256])
        let ed = try #require(store.keys[Self.ed]), p = try #require(store.keys[Self.p256])
        #expect(ed.algorithm == .ed25519 && p.algorithm == .p256)
        #expect(ed.roles == [.consentSigner, .exportSigner])
        #expect(ed.name == "County consent signer")
        #expect(p.notBefore == Self.date("2023-12-31T23:00:00Z"))  // +01:00 offset honoured
        #expect(p.revokedAt == Self.date("2026-06-01T12:00:00Z"))
        #expect(!ed.demo && ed.privateKeyFile == nil)
    }

    struct Decision: Sendable, CustomTestStringConvertible {
        let kid: String
        let role: KeyRole
        let at: String
        /// nil: trusted; otherwise a text the refusal must contain.
        let refusal: String?
        var testDescription: String { "\(role.rawValue) at \(at): \(refusal ?? "trusted")" }
    }

    static let decisions: [Decision] = [
        Decision(kid: ed, role: .consentSigner, at: "2025-03-01T00:00:00Z", refusal: nil),
        Decision(kid: ed, role: .exportSigner, at: "2024-01-01T00:00:00Z", refusal: nil),          // not-before inclusive
        Decision(kid: ed, role: .auditLog, at: "2025-03-01T00:00:00Z", refusal: "lacks role audit-log"),
        Decision(kid: ed, role: .consentSigner, at: "2023-12-31T23:59:59Z", refusal: "before the key's not-before"),
        Decision(kid: ed, role: .consentSigner, at: "2027-01-01T00:00:00Z", refusal: "at or after the key's not-after"),
        Decision(kid: p256, role: .consentSigner, at: "2026-06-01T11:59:59Z", refusal: nil),
        Decision(kid: p256, role: .consentSigner, at: "2026-06-01T12:00:00Z", refusal: "revoked at 2026-06-01T12:00:00Z"),
        Decision(kid: p256, role: .policySigner, at: "2025-01-01T00:00:00Z", refusal: "lacks role policy-signer"),
    ]

    @Test(arguments: decisions)
    func keyHadRoleAtTime(_ d: Decision) throws {
        let store = try Self.good()
        if let refusal = d.refusal {
            #expect {
                try store.key(kid: d.kid, role: d.role, at: Self.date(d.at))
            } throws: { error in
                guard let e = error as? SigningError, case let .keyNotTrusted(kid, reason) = e else { return false }
                return kid == d.kid && reason.en.contains(refusal) && ErrorFormatter.exitCode(for: e) == 4
            }
        } else {
            #expect(try store.key(kid: d.kid, role: d.role, at: Self.date(d.at)).kid == d.kid)
        }
    }

    @Test func unknownKidIsAnIntegrityFailure() throws {
        let store = try Self.good()
        #expect(throws: SigningError.unknownKey(kid: "nope")) { try store.key(kid: "nope", role: .consentSigner, at: Date()) }
        #expect(SigningError.unknownKey(kid: "nope").category == .integrity)
    }

    @Test func jwsVerificationChecksRoleAndTime() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try PrivateKey.generate()
        try key.publicKey.write(to: dir.appendingPathComponent("k.pub.pem").path)
        let entry = TrustedKey(kid: key.publicKey.kid, name: "t", publicKey: key.publicKey, publicKeyFile: "k.pub.pem",
                               privateKeyFile: nil, roles: [.consentSigner], notBefore: Self.date("2025-01-01T00:00:00Z"),
                               notAfter: Self.date("2026-01-01T00:00:00Z"), revokedAt: nil, demo: false)
        let store = TrustStore(keys: [entry], demoMode: false, directory: dir.path)
        let jws = try JWS.sign(payload: Array("{}".utf8), type: "consentgate-consent+json", key: key)
        try store.verify(jws, role: .consentSigner, signedAt: Self.date("2025-06-01T00:00:00Z"))
        #expect(throws: SigningError.self) { try store.verify(jws, role: .auditLog, signedAt: Self.date("2025-06-01T00:00:00Z")) }
        #expect(throws: SigningError.self) { try store.verify(jws, role: .consentSigner, signedAt: Self.date("2026-06-01T00:00:00Z")) }
    }

    /// The keys that verify old audit checkpoints: every audit-log key not revoked, expired ones too, newest first;
    /// demo keys only in demo mode; keys of other roles never.
    @Test(arguments: [false, true])
    func historicalKeysKeepExpiredDropRevokedAndDemoOutsideDemoMode(demoMode: Bool) throws {
        func entry(_ name: String, roles: Set<KeyRole>, from: String, until: String, revoked: String? = nil, demo: Bool = false) throws -> TrustedKey {
            let key = try PrivateKey.generate().publicKey
            return TrustedKey(kid: key.kid, name: name, publicKey: key, publicKeyFile: name + ".pub.pem", privateKeyFile: nil,
                              roles: roles, notBefore: Self.date(from), notAfter: Self.date(until),
                              revokedAt: revoked.map(Self.date), demo: demo)
        }
        let keys = [
            try entry("expired", roles: [.auditLog], from: "2020-01-01T00:00:00Z", until: "2025-01-01T00:00:00Z"),
            try entry("current", roles: [.auditLog], from: "2025-01-01T00:00:00Z", until: "2036-01-01T00:00:00Z"),
            try entry("revoked", roles: [.auditLog], from: "2024-01-01T00:00:00Z", until: "2036-01-01T00:00:00Z", revoked: "2025-06-01T00:00:00Z"),
            try entry("demo", roles: [.auditLog], from: "2022-01-01T00:00:00Z", until: "2036-01-01T00:00:00Z", demo: true),
            try entry("consent", roles: [.consentSigner], from: "2026-01-01T00:00:00Z", until: "2036-01-01T00:00:00Z"),
        ]
        let store = TrustStore(keys: keys, demoMode: demoMode)
        #expect(store.historicalKeys(for: .auditLog).map(\.name) == (demoMode ? ["current", "demo", "expired"] : ["current", "expired"]))
    }

    @Test func saveWritesAtomicallyAndLoadsBackTheSame() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: TestSupport.fixture("trust/keys"), to: dir.appendingPathComponent("keys"))
        var store = try Self.good()
        store.directory = dir.path
        let file = dir.appendingPathComponent("trust.yaml").path
        try store.save(to: file)
        let back = try TrustStore.load(file: file, demoMode: false)
        #expect(back.order == store.order)
        for kid in store.order {
            let a = store.keys[kid]!, b = back.keys[kid]!
            #expect(a.name == b.name && a.roles == b.roles && a.notBefore == b.notBefore && a.notAfter == b.notAfter)
            #expect(a.revokedAt == b.revokedAt && a.demo == b.demo && a.publicKeyFile == b.publicKeyFile)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    /// The shipped `keys/trust.yaml`: five demo keys, valid 2020..2036, refused outside demo mode.
    @Test func shippedDemoKeysAreMarkedAndRefusedOutsideDemoMode() throws {
        let file = TestSupport.packageRoot.appendingPathComponent("keys/trust.yaml").path
        let store = try TrustStore.load(file: file, demoMode: false)
        #expect(store.entries.count == 5)
        #expect(store.entries.allSatisfy { $0.demo && $0.notBefore == Self.date("2020-01-01T00:00:00Z") && $0.notAfter == Self.date("2036-01-01T00:00:00Z") })
        #expect(Set(store.entries.flatMap(\.roles)) == Set(KeyRole.allCases))
        #expect(store.entries.filter { $0.algorithm == .p256 }.count == 1)
        for entry in store.entries {
            let role = entry.roles.first!
            #expect {
                try store.key(kid: entry.kid, role: role, at: Date())
            } throws: { error in
                guard case let .keyNotTrusted(_, reason) = error as? SigningError else { return false }
                return reason.en.contains("demo key refused")
            }
            var demo = store
            demo.demoMode = true
            #expect(try demo.key(kid: entry.kid, role: role, at: Date()).kid == entry.kid)
        }
    }
}
