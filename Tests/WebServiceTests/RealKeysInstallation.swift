import Foundation
import Gate
import Signing

/// A production-like installation for web tests: real encrypted key files (a usable audit-log key and export signer,
/// consent signers as a test needs them), a trust store file, the shipped policy, a database not created yet.
enum RealKeysInstallation {
    /// An installation with a usable audit-log key and export signer, and consent signers as `consentKeys` says:
    /// (name, not-before, not-after, revoked-at).
    static func configuration(_ dir: URL, consentKeys: [(String, Date, Date, Date?)]) throws -> GateConfiguration {
        let keys = dir.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        var store = TrustStore(keys: [], demoMode: false, directory: keys.path)
        let year: TimeInterval = 86_400 * 365
        let always = Date().addingTimeInterval(-86_400)
        let all: [(String, KeyRole, Date, Date, Date?)] = [("audit", .auditLog, always, always.addingTimeInterval(year), nil),
                                                          ("exports", .exportSigner, always, always.addingTimeInterval(year), nil)]
            + consentKeys.map { ($0.0, .consentSigner, $0.1, $0.2, $0.3) }
        for (name, role, notBefore, notAfter, revokedAt) in all {
            let key = try PrivateKey.generate(.ed25519)
            try key.write(to: keys.appendingPathComponent("\(name).key.pem").path, passphrase: "real passphrase", iterations: 1000)
            try key.publicKey.write(to: keys.appendingPathComponent("\(name).pub.pem").path)
            try store.add(TrustedKey(kid: key.publicKey.kid, name: name, publicKey: key.publicKey, publicKeyFile: "\(name).pub.pem",
                                     privateKeyFile: "\(name).key.pem", roles: [role], notBefore: notBefore, notAfter: notAfter,
                                     revokedAt: revokedAt, demo: false))
        }
        let trustFile = keys.appendingPathComponent("trust.yaml").path
        try store.save(to: trustFile)
        let passphraseFile = keys.appendingPathComponent("pass.txt").path
        try Data("real passphrase\n".utf8).write(to: URL(fileURLWithPath: passphraseFile))
        return GateConfiguration(databasePath: dir.appendingPathComponent("cg.sqlite").path,
                                 policyDirectory: WebFixture.root.appendingPathComponent("policies/kim-rhein-sieg").path,
                                 trustFile: trustFile, demoMode: false, passphraseFile: passphraseFile, environment: [:])
    }

}
