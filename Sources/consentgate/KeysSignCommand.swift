import ArgumentParser
import Foundation
import Signing

/// `consentgate keys sign`: a raw detached signature over a file (Ed25519: 64 bytes; P-256: DER), the form
/// export manifests use (CONTRACTS §7), which `openssl pkeyutl -verify -rawin` / `openssl dgst -sha256 -verify`
/// check.
struct KeysSignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: HelpText.text("Sign a file with a trusted key.",
                                                     de: "Datei mit einem vertrauenswürdigen Schlüssel signieren."))

    @OptionGroup var options: KeysTrustOptions
    @OptionGroup var passphrase: KeysPassphraseOptions

    /// Read unconditionally: a kid is base64url and may start with `-`, which the parser would otherwise take for an option.
    @Option(name: .long, parsing: .unconditional, help: HelpText.help("The kid of the signing key.", de: "kid des signierenden Schlüssels."))
    var key: String

    @Option(name: .long, help: HelpText.help("The file to sign.", de: "Die zu signierende Datei."))
    var `in`: String

    @Option(name: .long, help: HelpText.help("Where to write the raw signature (atomically); an existing file only with --force.",
                                             de: "Datei, in die die Rohsignatur geschrieben wird (atomar); eine vorhandene Datei nur mit --force."))
    var out: String

    @Flag(name: .long, help: HelpText.help("Replace an existing --out file.", de: "Eine vorhandene --out-Datei ersetzen."))
    var force = false

    @Option(name: .long, help: HelpText.help("Require the key to have this role now.",
                                             de: "Der Schlüssel muss jetzt diese Rolle haben."))
    var role: String?

    func run() throws {
        try KeysRunner.run {
            let role = try self.role.map { try KeysRunner.roles([$0])[0] }
            // Before the key is opened: a refused target costs no passphrase prompt or signature.
            try OutputFile.refuseExisting(out, force: force, option: "--out")
            let message = try KeysRunner.read(self.in, limit: KeysRunner.maximumMessageSize, option: "--in")
            let ring = SigningKeyRing(trustStore: try TrustStore.load(file: options.trust, demoMode: options.demo),
                                      passphrase: passphrase.source)
            let signer = try ring.signingKey(kid: key, role: role)
            let signature = try signer.sign(message)
            try OutputFile.write(signature, to: out, mode: 0o644, force: force, option: "--out")
            if options.json {
                try KeysRunner.printJSON(["kid": signer.kid, "algorithm": signer.algorithm.rawValue, "in": self.in,
                                          "out": out, "in-sha256": SHA256.tagged(message), "signature-bytes": signature.count])
            } else {
                KeysRunner.say("signed \(self.in) with \(signer.kid) (\(signer.algorithm.displayName)): \(out)",
                               de: "\(self.in) mit \(signer.kid) (\(signer.algorithm.displayName)) signiert: \(out)")
            }
        }
    }
}
