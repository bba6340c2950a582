import Foundation
import Signing
import Testing
@testable import Gate

/// `Gate.open(_:actor:prefetchingAuditKey:prefetchingKeys:)`: the export run has its `export-signer` key decrypted
/// while the installation opens (in the time the opening waits for the audit-log key), and `currentSigningKey(for:)`
/// takes it; a key that could not be opened then is opened again when asked for, with that attempt's error.
@Suite struct SigningKeyPrefetchTests {
    private static func installation() throws -> (GateTestInstallation, GateConfiguration) {
        let inst = try GateTestInstallation()
        let config = try inst.realConfiguration(withExportSigner: true)
        _ = try Gate.open(config)
        return (inst, config)
    }

    private static func exportKeyFile(_ config: GateConfiguration) -> String {
        (config.trustFile as NSString).deletingLastPathComponent + "/export.key.pem"
    }

    @Test func theExportSignerKeyIsDecryptedWhileOpening() throws {
        let (inst, config) = try Self.installation()
        defer { inst.remove() }
        let gate = try Gate.open(config, prefetchingAuditKey: true, prefetchingKeys: [.exportSigner])
        let prefetched = try #require(gate.keysInFlight[.exportSigner], "the decryption starts while opening")
        let key = try prefetched.value()
        // Damaged afterwards, the file is not read again: the key decrypted while opening is the one used.
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: Self.exportKeyFile(config)))
        #expect(try gate.currentSigningKey(for: .exportSigner).privateKey.publicKey.kid == key.privateKey.publicKey.kid)
        #expect(gate.keyRing.trustStore.entries.first { $0.roles.contains(.exportSigner) }?.kid == key.privateKey.publicKey.kid)
        // Without prefetching, the damaged file is read when the key is asked for.
        let later = try Gate.open(config)
        #expect(later.keysInFlight.isEmpty)
        #expect(throws: SigningError.self) { try later.currentSigningKey(for: .exportSigner) }
    }

    @Test(arguments: [false, true])
    func aWrongPassphraseIsTheSameErrorWhenTheKeyIsAskedFor(prefetching: Bool) throws {
        let (inst, config) = try Self.installation()
        defer { inst.remove() }
        try Data("another passphrase\n".utf8).write(to: URL(fileURLWithPath: try #require(config.passphraseFile)))
        let gate = try Gate.open(config, prefetchingKeys: prefetching ? [.exportSigner] : [])
        let error = #expect(throws: SigningError.self) { try gate.currentSigningKey(for: .exportSigner) }
        // Named with the trust store line that points at the file (`PrivateKeyFileMessagesTests`).
        #expect(error?.keyFileError == .wrongPassphrase(source: Self.exportKeyFile(config)))
        #expect(error?.message(in: .en).contains("(\(config.trustFile):") == true, "\(String(describing: error))")
        // Put right, the next request opens it (a failure is not kept).
        try Data("real passphrase\n".utf8).write(to: URL(fileURLWithPath: try #require(config.passphraseFile)))
        #expect(throws: Never.self) { try gate.currentSigningKey(for: .exportSigner) }
    }

    @Test func anExportRunOpensWithTheExportSignerKeyInFlight() throws {
        let (inst, config) = try Self.installation()
        defer { inst.remove() }
        let gate = try Gate.openForExportRun(config, actor: Actor(id: "test"), createIfMissing: false)
        #expect(gate.signerInFlight != nil && gate.keysInFlight[.exportSigner] != nil)
    }
}
