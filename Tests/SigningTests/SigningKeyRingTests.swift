import Diagnostics
import Foundation
import TestFolders
import Testing
@testable import Signing

/// "Give me a usable private key for role R now", on real encrypted key files.
@Suite struct SigningKeyRingTests {
    static func date(_ s: String) -> Date { RFC3339.parse(s)! }

    /// A temporary installation: keys written by `PrivateKey.write`, a trust store over them, a passphrase file.
    /// Its folder is removed when the test lets go of the installation.
    struct Installation {
        let folder: TemporaryDirectory
        var dir: URL { folder.url }
        var store: TrustStore
        let passphraseFile: String
        var keys: [String: PrivateKey] = [:]

        init() throws {
            folder = try TemporaryDirectory("signing-tests")
            store = TrustStore(keys: [], demoMode: false, directory: folder.path)
            passphraseFile = try TestSupport.write(Array("s3cret passphrase\n".utf8), "pass.txt", in: folder.url)
        }

        @discardableResult
        mutating func add(_ name: String, roles: Set<KeyRole>, from: String, to: String, revoked: String? = nil,
                          alg: SignatureAlgorithm = .ed25519, privateFile: Bool = true) throws -> String {
            let key = try PrivateKey.generate(alg)
            try key.write(to: dir.appendingPathComponent("\(name).key.pem").path, passphrase: "s3cret passphrase", iterations: 1000)
            try key.publicKey.write(to: dir.appendingPathComponent("\(name).pub.pem").path)
            try store.add(TrustedKey(kid: key.publicKey.kid, name: name, publicKey: key.publicKey, publicKeyFile: "\(name).pub.pem",
                                     privateKeyFile: privateFile ? "\(name).key.pem" : nil, roles: roles, notBefore: date(from),
                                     notAfter: date(to), revokedAt: revoked.map(date), demo: false))
            keys[key.publicKey.kid] = key
            return key.publicKey.kid
        }

        func ring(_ source: PassphraseSource? = nil) -> SigningKeyRing {
            SigningKeyRing(trustStore: store, passphrase: source ?? .file(passphraseFile))
        }
    }

    @Test func picksTheNewestUsableKeyForTheRole() throws {
        var inst = try Installation()
        defer { try? FileManager.default.removeItem(at: inst.dir) }
        let old = try inst.add("old", roles: [.consentSigner], from: "2024-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z")
        let new = try inst.add("new", roles: [.consentSigner], from: "2025-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z")
        try inst.add("newer-revoked", roles: [.consentSigner], from: "2025-06-01T00:00:00Z", to: "2030-01-01T00:00:00Z", revoked: "2025-07-01T00:00:00Z")
        try inst.add("export", roles: [.exportSigner], from: "2024-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z", alg: .p256)
        try inst.add("public-only", roles: [.consentSigner], from: "2025-09-01T00:00:00Z", to: "2030-01-01T00:00:00Z", privateFile: false)
        let ring = inst.ring()
        #expect(try ring.signingKey(for: .consentSigner, at: Self.date("2024-06-01T00:00:00Z")).kid == old)
        let chosen = try ring.signingKey(for: .consentSigner, at: Self.date("2025-10-01T00:00:00Z"))
        #expect(chosen.kid == new)
        let message = Array("hello".utf8)
        try inst.store.verifyDetached(signature: try chosen.sign(message), message: message, kid: new,
                                      role: .consentSigner, signedAt: Self.date("2025-10-01T00:00:00Z"))
        let export = try ring.signingKey(for: .exportSigner, at: Self.date("2025-10-01T00:00:00Z"))
        #expect(export.algorithm == .p256)
        let jws = try export.jws(payload: Array("{}".utf8), type: "x+json")
        try inst.store.verify(jws, role: .exportSigner, signedAt: Self.date("2025-10-01T00:00:00Z"))
    }

    @Test func noUsableKeyExplainsEveryCandidate() throws {
        var inst = try Installation()
        defer { try? FileManager.default.removeItem(at: inst.dir) }
        try inst.add("expired", roles: [.exportSigner], from: "2020-01-01T00:00:00Z", to: "2021-01-01T00:00:00Z")
        try inst.add("revoked", roles: [.exportSigner], from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z", revoked: "2022-01-01T00:00:00Z")
        try inst.add("public-only", roles: [.exportSigner], from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z", privateFile: false)
        #expect {
            try inst.ring().signingKey(for: .exportSigner, at: Self.date("2025-01-01T00:00:00Z"))
        } throws: { error in
            guard let e = error as? SigningError, case let .noUsableKey(role, reasons) = e else { return false }
            let all = reasons.map(\.en).joined(separator: "|")
            return role == .exportSigner && reasons.count == 3 && all.contains("not-after") && all.contains("revoked")
                && all.contains("no private-key file") && e.category == .integrity
        }
        #expect(throws: SigningError.self) { try inst.ring().signingKey(for: .policySigner) }
    }

    @Test func passphraseProblems() throws {
        var inst = try Installation()
        defer { try? FileManager.default.removeItem(at: inst.dir) }
        let kid = try inst.add("k", roles: [.consentSigner], from: "2020-01-01T00:00:00Z", to: "2040-01-01T00:00:00Z")
        #expect(try inst.ring(.environment(name: "CONSENTGATE_PASSPHRASE", value: "s3cret passphrase")).signingKey(kid: kid, role: nil).kid == kid)
        #expect(throws: SigningError.wrongPassphrase(source: inst.dir.appendingPathComponent("k.key.pem").path)) {
            try inst.ring(.environment(name: "CONSENTGATE_PASSPHRASE", value: "s3cret")).signingKey(kid: kid, role: .consentSigner)
        }
        for source in [PassphraseSource.none, .environment(name: "CONSENTGATE_PASSPHRASE", value: ""),
                       .file(try TestSupport.write([], "empty.txt", in: inst.dir))] {
            #expect {
                try inst.ring(source).signingKey(kid: kid, role: .consentSigner)
            } throws: { error in
                guard let e = error as? SigningError, case .passphraseUnavailable = e else { return false }
                return e.category == .usage
            }
        }
        #expect(throws: SigningError.unknownKey(kid: "zzz")) { try inst.ring().signingKey(kid: "zzz", role: nil) }
    }

    /// A key file the trust store names, given by its path (`--key FILE`): checked before it is decrypted (a file others
    /// may read is refused without asking for the passphrase), the role checked against its entry, and the key opened
    /// as the store opens it (a key review: the passphrase was asked first, and a demo key wanted the real one).
    @Test func aKeyFileTheStoreNamesIsCheckedBeforeItIsDecrypted() throws {
        var inst = try Installation()
        let a = try inst.add("a", roles: [.auditLog], from: "2020-01-01T00:00:00Z", to: "2040-01-01T00:00:00Z")
        let aPath = inst.dir.appendingPathComponent("a.key.pem").path
        #expect(try inst.ring().signingKey(file: aPath, for: .auditLog).entry.kid == a)
        #expect(throws: SigningError.self) { try inst.ring().signingKey(file: aPath, for: .consentSigner) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: aPath)
        #expect {
            try inst.ring(PassphraseSource.none).signingKey(file: aPath, for: .auditLog)
        } throws: { error in
            guard case let .invalidKey(source, reason) = error as? SigningError else { return false }
            return source == aPath && reason.en.contains("readable by others")
        }
    }

    @Test func refusesPrivateKeyFilesOthersCanReadAndFilesHoldingAnotherKey() throws {
        var inst = try Installation()
        defer { try? FileManager.default.removeItem(at: inst.dir) }
        let a = try inst.add("a", roles: [.consentSigner], from: "2020-01-01T00:00:00Z", to: "2040-01-01T00:00:00Z")
        try inst.add("b", roles: [.auditLog], from: "2020-01-01T00:00:00Z", to: "2040-01-01T00:00:00Z")
        let aPath = inst.dir.appendingPathComponent("a.key.pem").path
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: aPath)
        #expect {
            try inst.ring().signingKey(kid: a, role: nil)
        } throws: { error in
            guard case let .invalidKey(source, reason) = error as? SigningError else { return false }
            return source == aPath && reason.en.contains("readable by others")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: aPath)
        try FileManager.default.removeItem(atPath: aPath)
        try FileManager.default.copyItem(atPath: inst.dir.appendingPathComponent("b.key.pem").path, toPath: aPath)
        #expect {
            try inst.ring().signingKey(kid: a, role: nil)
        } throws: { error in
            guard case let .invalidKey(_, reason) = error as? SigningError else { return false }
            return reason.en.contains("but the trust store names \(a)")
        }
        // A folder in the key file's place is named as such, whatever its mode (not "readable by others; chmod 600").
        for mode in [0o755, 0o700] {
            try FileManager.default.removeItem(atPath: aPath)
            try FileManager.default.createDirectory(atPath: aPath, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: mode])
            #expect {
                try inst.ring().signingKey(kid: a, role: nil)
            } throws: { error in
                guard case let .invalidKey(source, reason) = error as? SigningError else { return false }
                return source == aPath && reason.en == "is a folder, not a file" && reason.de == "ist ein Ordner, keine Datei"
            }
        }
    }

    /// A key the store would let sign but whose private file is not in this installation is an incomplete set-up:
    /// invalid input (3), naming the key and what to do. Mixed with a key refused for a reason of its own (revoked,
    /// expired), it stays the integrity refusal (4) listing every candidate.
    @Test(arguments: [(["public-only"], KeyRoleCase.only), (["public-only", "public-too"], .only), (["public-only"], .withRevoked)])
    func keysWithoutPrivateFileAreAnIncompleteSetUp(names: [String], mix: KeyRoleCase) throws {
        var inst = try Installation()
        defer { try? FileManager.default.removeItem(at: inst.dir) }
        var kids: [String] = []
        for name in names {
            kids.append(try inst.add(name, roles: [.consentSigner], from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z", privateFile: false))
        }
        if mix == .withRevoked {
            try inst.add("revoked", roles: [.consentSigner], from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z", revoked: "2022-01-01T00:00:00Z")
        }
        #expect {
            try inst.ring().signingKey(for: .consentSigner, at: Self.date("2025-01-01T00:00:00Z"))
        } throws: { error in
            guard let e = error as? SigningError else { return false }
            switch (mix, e) {
            case let (.only, .noPrivateKeyFile(role, keys)):
                let en = e.message(in: .en), de = e.message(in: .de)
                return role == .consentSigner && keys.count == names.count && e.category == .invalidInput
                    && kids.allSatisfy { en.contains($0) && de.contains($0) } && en.contains("no private-key file")
                    && de.contains("keine private-key-Datei") && en.contains("keys generate --role consent-signer")
            case let (.withRevoked, .noUsableKey(_, reasons)):
                return reasons.count == 2 && e.category == .integrity
            default:
                return false
            }
        }
    }

    enum KeyRoleCase: Sendable, CustomStringConvertible {
        case only, withRevoked
        var description: String { self == .only ? "only keys without a private file" : "with a revoked key" }
    }

    /// The shipped demo keys open with the documented demo passphrase in demo mode only.
    @Test(arguments: KeyRole.allCases)
    func shippedDemoKeySignsInDemoModeOnly(role: KeyRole) throws {
        let file = TestSupport.packageRoot.appendingPathComponent("keys/trust.yaml").path
        let ring = try SigningKeyRing.load(trustFile: file, demoMode: true, environment: [:])
        let key = try ring.signingKey(for: role)
        #expect(key.entry.demo && key.entry.roles.contains(role))
        let message = Array("demo".utf8)
        try ring.trustStore.verifyDetached(signature: try key.sign(message), message: message, kid: key.kid, role: role, signedAt: Date())
        let strict = try SigningKeyRing.load(trustFile: file, demoMode: false, environment: [:])
        #expect {
            try strict.signingKey(for: role)
        } throws: { error in
            guard case let .noUsableKey(_, reasons) = error as? SigningError else { return false }
            return !reasons.isEmpty && reasons.allSatisfy { $0.en.contains("demo key refused") }
        }
    }
}
