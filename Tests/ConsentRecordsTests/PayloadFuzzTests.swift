import Foundation
import Signing
import Testing
import FuzzSupport
@testable import ConsentRecords

/// Consent and withdrawal payloads, their signed envelopes and the template Markdown under mutated fixtures:
/// each returns a value or throws `ConsentError` (naming the field), never traps or hangs; an accepted
/// payload's canonical form reads back as the same payload. Run long with
/// `CONSENTGATE_FUZZ_ITERATIONS=200000 swift test --skip-build --filter PayloadFuzzTests` (see `FuzzSupport.swift`).
@Suite struct PayloadFuzzTests {
    static let payloads: [[UInt8]] = Fuzz.files(under: Fixture.directory.appendingPathComponent("payloads"), suffixes: [".json"])
        + [Array(#"{"consent":"6f1c2e1a-0b9d-4c55-9a57-3f1f7f3a2b10","recorded-by":{"case-manager":"cm-017","municipality":"Troisdorf"},"subject":"RSK-2022-000017","withdrawal-version":1,"withdrawn-at":"2027-01-10T09:00:00Z"}"#.utf8)]

    @Test func declarationPayload() {
        Fuzz.run("consent-payload", corpus: Self.payloads, seed: 0x5EED_0201, iterations: 700, accepts: { $0 is ConsentError }) { bytes in
            let declaration = try ConsentDeclaration(payload: bytes)
            #expect(try ConsentDeclaration(payload: declaration.canonicalPayload) == declaration)
        }
    }

    @Test func withdrawalPayload() {
        Fuzz.run("withdrawal-payload", corpus: Self.payloads, seed: 0x5EED_0202, iterations: 600, accepts: { $0 is ConsentError }) { bytes in
            let withdrawal = try ConsentWithdrawal(payload: bytes)
            #expect(try ConsentWithdrawal(payload: withdrawal.canonicalPayload) == withdrawal)
        }
    }

    /// Signed envelopes: the corpus is the valid payloads signed with fresh Ed25519 and P-256 keys.
    @Test func signedDocuments() throws {
        var corpus: [[UInt8]] = []
        for algorithm in [SignatureAlgorithm.ed25519, .p256] {
            let key = try PrivateKey.generate(algorithm)
            for payload in Self.payloads {
                if let d = try? ConsentDeclaration(payload: payload) { corpus.append(try SignedDocument.sign(d, with: key).bytes) }
                if let w = try? ConsentWithdrawal(payload: payload) { corpus.append(try SignedDocument.sign(w, with: key).bytes) }
            }
        }
        #expect(corpus.count == 4)
        Fuzz.run("signed-consent", corpus: corpus, seed: 0x5EED_0203, iterations: 500, accepts: { $0 is ConsentError }) { bytes in
            if bytes.count % 2 == 0 { _ = try SignedDocument<ConsentDeclaration>(bytes: bytes) } else { _ = try SignedDocument<ConsentWithdrawal>(bytes: bytes) }
        }
    }

    @Test func templateMarkdown() {
        let corpus = Fuzz.files(under: Fixture.directory.appendingPathComponent("templates"), suffixes: [".md"])
        Fuzz.run("template-markdown", corpus: corpus, seed: 0x5EED_0204, iterations: 300, accepts: { _ in false }) { bytes in
            _ = MarkdownLite.html(String(decoding: bytes, as: UTF8.self))
        }
    }
}
