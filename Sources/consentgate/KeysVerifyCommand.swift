import ArgumentParser
import Foundation
import Signing

/// `consentgate keys verify`: checks a raw detached signature over a file against a trusted key; exit 4 when
/// it does not verify or the key was not trusted (role, window, revocation, demo) at the signing time.
struct KeysVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: HelpText.text("Verify a file's detached signature.",
                                                       de: "Abgetrennte Signatur einer Datei prüfen."))

    @OptionGroup var options: KeysTrustOptions

    /// Read unconditionally: a kid is base64url and may start with `-`, which the parser would otherwise take for an option.
    @Option(name: .long, parsing: .unconditional, help: HelpText.help("The kid of the key that signed.",
                                             de: "kid des Schlüssels, der signiert hat."))
    var key: String

    @Option(name: .long, help: HelpText.help("The signed file.", de: "Die signierte Datei."))
    var `in`: String

    @Option(name: .long, help: HelpText.help("The raw signature file.", de: "Die Datei mit der Rohsignatur."))
    var sig: String

    @Option(name: .long, help: HelpText.help("Require the key to have had this role.",
                                             de: "Der Schlüssel muss diese Rolle gehabt haben."))
    var role: String?

    @Option(name: .long, help: HelpText.help("The signing time the key must have been valid at, RFC 3339 (default: now).",
                                             de: "Signaturzeitpunkt, zu dem der Schlüssel gültig gewesen sein muss, RFC 3339 (Standard: jetzt)."))
    var at: String?

    func run() throws {
        try KeysRunner.run {
            let role = try self.role.map { try KeysRunner.roles([$0])[0] }
            let time = try KeysRunner.time(at, option: "at", fallback: Date())
            let message = try KeysRunner.read(self.in, limit: KeysRunner.maximumMessageSize, option: "--in")
            let signature = try KeysRunner.read(sig, limit: KeysRunner.maximumSignatureSize, option: "--sig")
            let store = try TrustStore.load(file: options.trust, demoMode: options.demo)
            try store.verifyDetached(signature: signature, message: message, kid: key, role: role, signedAt: time, what: self.in,
                                     signatureFile: sig)
            if options.json {
                try KeysRunner.printJSON(["valid": true, "kid": key, "in": self.in, "sig": sig, "at": RFC3339.format(time)])
            } else {
                KeysRunner.say("signature valid: \(self.in) signed by \(key)", de: "Signatur gültig: \(self.in) signiert von \(key)")
            }
        }
    }
}
