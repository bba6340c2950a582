import Foundation
import Testing

/// A consent file from outside whose header (`kid`, `typ`, `alg`, member names) holds terminal escape sequences and a
/// carriage return: `consent verify` printed them raw, and a terminal showed only "valid: consent …" although the
/// command failed (consent review, session 40, M1). Every such character now appears escaped, the line intact.
@Suite struct DocumentHeaderEscapeCLITests {
    static let forged = "\u{1B}[2K\rvalid: consent 6f1c2e1a-0b9d-4c55-9a57-3f1f7f3a2b10\u{1B}[8m"

    static func base64url(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The header member each case puts the forged text in, and a JSON header with it.
    static let headers: [(String, String)] = [
        ("kid", #"{"alg":"Ed25519","kid":"\#(json(forged))","typ":"consentgate-consent+json"}"#),
        ("typ", #"{"alg":"Ed25519","kid":"abc","typ":"\#(json(forged))"}"#),
        ("alg", #"{"alg":"\#(json(forged))","kid":"abc","typ":"consentgate-consent+json"}"#),
        ("member", #"{"alg":"Ed25519","kid":"abc","typ":"consentgate-consent+json","\#(json(forged))":1}"#),
    ]

    static func json(_ s: String) -> String {
        s.unicodeScalars.map { $0.value < 0x20 ? String(format: "\\u%04x", $0.value) : String($0) }.joined()
    }

    @Test(arguments: headers, ["en", "de"])
    func controlCharactersInTheHeaderAreShownEscaped(_ header: (String, String), _ lang: String) throws {
        // A genuine declaration's payload (so that reading gets as far as the key), under the forged header.
        let installation = try CLIInstallation()
        defer { installation.remove() }
        let (_, granted) = try installation.grant(clauses: "jobcenter")
        let id = try #require(granted["id"] as? String)
        let export = try installation.run(["consent", "export", id, "--out", installation.path("export")])
        let exported = try #require(export.stdout.split(separator: "\n").first.map(String.init), "\(export)")
        let genuine = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: exported))) as? [String: Any])
        let payload = try #require(genuine["payload"] as? String)
        let file = installation.path("forged.json")
        let document = #"{"protected":"\#(Self.base64url(header.1))","payload":"\#(payload)","signature":"AAAA"}"#
        try Data(document.utf8).write(to: URL(fileURLWithPath: file))
        let r = try installation.run(["consent", "verify", file, "--lang", lang])
        #expect(r.exitCode != 0, "\(header.0): \(r)")
        #expect(!r.stderrBytes.contains(0x1B) && !r.stderrBytes.contains(0x0D), "\(header.0): raw control characters: \(r)")
        #expect(!r.stdoutBytes.contains(0x1B) && !r.stdoutBytes.contains(0x0D), "\(header.0): \(r)")
        #expect(r.stderr.hasPrefix(lang == "en" ? "error: " : "Fehler: "), "\(header.0): \(r)")
        #expect(r.stderr.contains("\\u{1B}[2K\\rvalid: consent") || r.stderr.contains("\\u{1B}[2K\\u{0D}valid: consent"),
                "\(header.0): the forged text shown escaped: \(r)")
    }
}
