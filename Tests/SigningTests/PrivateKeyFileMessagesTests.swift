import Foundation
import Testing
@testable import Signing

/// What a private key file that cannot be used is called (found in a key review, I2/I3): a `private-key:` naming the
/// public key file is said to hold a public key (before: "readable by others (mode 644); chmod 600", then "not
/// encrypted"), and every error about the file names the trust store line that points at it (`keys/trust.yaml:NN`),
/// in German and English. Real key files and a real trust store file.
@Suite struct PrivateKeyFileMessagesTests {
    enum Mistake: String, CaseIterable, Sendable {
        /// `private-key:` names the key's own `.pub.pem` (as written, mode 0644).
        case publicKeyFile
        /// The same after `chmod 600`.
        case publicKeyFile600
        /// `private-key:` names another key's private file.
        case anotherKeysFile
        /// The file is not there.
        case missingFile
        /// The right file, readable by its group.
        case groupReadable
        /// The file is empty (it was called "not encrypted").
        case emptyFile
        /// Text without a PEM block.
        case notPEM
        /// The key saved as DER, binary (it was called "not UTF-8 text").
        case derFile
    }

    @Test(arguments: Mistake.allCases)
    func theMessageSaysWhatIsWrongAndNamesTheTrustStoreLine(mistake: Mistake) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let passphrase = "a long passphrase"
        var store = TrustStore(keys: [], demoMode: false, directory: dir.path)
        var kids: [String] = []
        for name in ["other", "consents"] {
            let key = try PrivateKey.generate(.ed25519)
            try key.write(to: dir.appendingPathComponent("\(name).key.pem").path, passphrase: passphrase, iterations: 1000)
            try key.publicKey.write(to: dir.appendingPathComponent("\(name).pub.pem").path)
            let privateFile = switch (name, mistake) {
            case ("consents", .publicKeyFile), ("consents", .publicKeyFile600): "consents.pub.pem"
            case ("consents", .anotherKeysFile): "other.key.pem"
            case ("consents", .missingFile): "gone.key.pem"
            default: "\(name).key.pem"
            }
            try store.add(TrustedKey(kid: key.publicKey.kid, name: name, publicKey: key.publicKey, publicKeyFile: "\(name).pub.pem",
                                     privateKeyFile: privateFile, roles: [.consentSigner], notBefore: Date(timeIntervalSince1970: 0),
                                     notAfter: Date().addingTimeInterval(86_400), revokedAt: nil, demo: false))
            kids.append(key.publicKey.kid)
        }
        switch mistake {
        case .publicKeyFile600: try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir.appendingPathComponent("consents.pub.pem").path)
        case .groupReadable: try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: dir.appendingPathComponent("consents.key.pem").path)
        case .emptyFile: try Data().write(to: dir.appendingPathComponent("consents.key.pem"))
        case .notPEM: try Data("my key, see the safe\n".utf8).write(to: dir.appendingPathComponent("consents.key.pem"))
        case .derFile: try Data([0x30, 0x10, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x06, 0x04, 0x04, 0xFF, 0xFE]).write(to: dir.appendingPathComponent("consents.key.pem"))
        default: break
        }
        let trustFile = dir.appendingPathComponent("trust.yaml").path
        try store.save(to: trustFile)
        // The line of the entry's `private-key:` (the second entry's).
        let lines = try String(contentsOfFile: trustFile, encoding: .utf8).components(separatedBy: "\n")
        let entryAt = try #require(lines.firstIndex { $0.contains(kids[1]) })
        let line = try #require(lines.indices.first { $0 > entryAt && lines[$0].contains("private-key:") }) + 1

        let ring = SigningKeyRing(trustStore: try TrustStore.load(file: trustFile, demoMode: false),
                                  passphrase: .environment(name: "CONSENTGATE_PASSPHRASE", value: passphrase))
        let error = #expect(throws: SigningError.self) { try ring.signingKey(kid: kids[1], role: .consentSigner) }
        let e = try #require(error)
        #expect(e.category == .invalidInput)
        let en = e.message(in: .en), de = e.message(in: .de)
        #expect(en.hasSuffix("(\(trustFile):\(line): private-key of \(kids[1]) (consents))"), "\(en)")
        #expect(de.hasSuffix("(\(trustFile):\(line): private-key von \(kids[1]) (consents))"), "\(de)")
        let (wantEN, wantDE): (String, String) = switch mistake {
        case .publicKeyFile, .publicKeyFile600: ("the file holds a public key (-----BEGIN PUBLIC KEY-----), not a private key",
                                                 "die Datei enthält einen öffentlichen Schlüssel (-----BEGIN PUBLIC KEY-----), keinen privaten")
        case .anotherKeysFile: ("holds key \(kids[0]), but the trust store names \(kids[1])", "enthält Schlüssel \(kids[0])")
        case .missingFile: ("gone.key.pem: cannot be read: no such file", "gone.key.pem: nicht lesbar: keine solche Datei")
        case .groupReadable: ("the private key file is readable by its group (mode 640); run chmod 600", "ist für seine Gruppe lesbar (Modus 640)")
        case .emptyFile: ("not a usable key: the file is empty", "kein verwendbarer Schlüssel: die Datei ist leer")
        case .notPEM: ("not a usable key: no PEM block (expected -----BEGIN ENCRYPTED PRIVATE KEY-----)", "kein PEM-Block")
        case .derFile: ("not UTF-8 text but binary (likely a key in DER form; PEM text is expected", "wohl ein Schlüssel im DER-Format")
        }
        #expect(en.contains(wantEN), "\(en)")
        #expect(de.contains(wantDE), "\(de)")
        #expect(!en.contains("not encrypted") && !en.contains("by others"), "\(en)")
    }

    /// A store built in memory has no line to name: the error is the file's own, as before.
    @Test func aStoreBuiltInMemoryGivesTheFilesOwnError() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try PrivateKey.generate(.ed25519)
        let store = TrustStore(keys: [TrustedKey(kid: key.publicKey.kid, name: "k", publicKey: key.publicKey, publicKeyFile: "k.pub.pem",
                                                 privateKeyFile: "gone.key.pem", roles: [.consentSigner], notBefore: Date(timeIntervalSince1970: 0),
                                                 notAfter: Date().addingTimeInterval(86_400), revokedAt: nil, demo: false)],
                               demoMode: false, directory: dir.path)
        let ring = SigningKeyRing(trustStore: store, passphrase: .environment(name: "CONSENTGATE_PASSPHRASE", value: "a long passphrase"))
        let error = #expect(throws: SigningError.self) { try ring.signingKey(kid: key.publicKey.kid, role: .consentSigner) }
        guard case .unreadableFile? = error else { Issue.record("got \(String(describing: error))"); return }
    }
}
