import Foundation
import Testing
import FuzzSupport
@testable import Signing

/// The readers of signed documents and keys under mutated fixtures: each returns a value or throws its
/// `SigningError`, never traps or hangs. Run long with
/// `CONSENTGATE_FUZZ_ITERATIONS=200000 swift test --skip-build --filter SigningFuzzTests` (see `FuzzSupport.swift`).
@Suite struct SigningFuzzTests {
    static let jwsCorpus = Fuzz.files(under: TestSupport.fixture("jws"), suffixes: [".json"])
        .filter { $0.first == UInt8(ascii: "{") && !$0.starts(with: Array("{\n  \"cases\"".utf8)) }

    static let keys: [PublicKey] = ["jws/ed.pub.pem", "jws/p256.pub.pem"].compactMap {
        try? PublicKey(pem: String(decoding: Fuzz.bytes(TestSupport.fixture($0)) ?? [], as: UTF8.self))
    }

    static func isSigningError(_ error: any Error) -> Bool { error is SigningError }

    /// Flattened JWS: strict JSON, closed header, canonical base64url, and verification of what parsed
    /// (a signature of any length must be refused, not trapped on, for both key types).
    @Test func flattenedJWS() {
        #expect(!Self.jwsCorpus.isEmpty && Self.keys.count == 2)
        Fuzz.run("jws", corpus: Self.jwsCorpus, seed: 0x5EED_0101, iterations: 700, accepts: Self.isSigningError) { bytes in
            let jws = try JWS(flattened: bytes)
            _ = jws.serialized
            for key in Self.keys { _ = try? jws.verify(with: key) }
        }
    }

    /// The protected header alone, from the decoded headers of the fixtures.
    @Test func protectedHeader() {
        let headers = Self.jwsCorpus.compactMap { try? JWS(flattened: $0) }.map { Array($0.header.encoded) }
            + [Array(#"{"alg":"ES256","kid":"k","typ":"consentgate-consent+json"}"#.utf8)]
        Fuzz.run("jws-header", corpus: headers, seed: 0x5EED_0102, iterations: 600, accepts: Self.isSigningError) { bytes in
            _ = try JWSHeader(protected: bytes)
        }
    }

    /// Base64url: whatever decodes encodes back to the same text.
    @Test func base64URL() {
        let corpus = Self.jwsCorpus.compactMap { try? JWS(flattened: $0) }.flatMap { [Array($0.protectedB64.utf8), Array($0.payloadB64.utf8)] }
        Fuzz.run("base64url", corpus: corpus, seed: 0x5EED_0103, iterations: 800, accepts: { $0 is Base64URL.DecodingError }) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let decoded = try Base64URL.decodeCanonical(text)
            #expect(Base64URL.encode(decoded) == text)
            _ = Hex.decode(text)
        }
    }

    /// RFC 3339: nil or an instant; an accepted text formats back to an instant that parses to the same.
    @Test func rfc3339() {
        let corpus = ["2026-11-25T10:00:00Z", "2026-11-25T10:00:00.123456Z", "2024-02-29T23:59:59+01:00", "1900-01-01T00:00:00-23:59",
                      "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-11-25t10:00:00z"].map { Array($0.utf8) }
        Fuzz.run("rfc3339", corpus: corpus, seed: 0x5EED_0104, iterations: 600, maxBytes: 256, accepts: { _ in false }) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = RFC3339.fieldsInRange(text)
            guard let date = RFC3339.parse(text) else { return }
            let again = RFC3339.format(date)
            #expect(RFC3339.parse(again) != nil, "\(text) formats as \(again), which does not parse")
            var out: [UInt8] = []
            RFC3339.append(date, to: &out)
        }
    }

    /// PEM public and private keys (encrypted or not) through our wrapper of OpenSSL's reader, and JWKs.
    @Test func pemKeys() {
        let corpus = Fuzz.files(under: TestSupport.fixture("keys"), suffixes: [".pem"])
            + Fuzz.files(under: TestSupport.fixture("pem-headers"), suffixes: [".pem"])
            + Fuzz.files(under: TestSupport.packageRoot.appendingPathComponent("keys/demo"), suffixes: [".pub.pem"])
        Fuzz.run("pem", corpus: corpus, seed: 0x5EED_0105, iterations: 300, accepts: Self.isSigningError) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? PublicKey(pem: text, source: "fuzz.pem")
            // The fixtures' encrypted keys use 2,048 PBKDF2 iterations and the passphrase `fixture-pass`.
            _ = try PrivateKey(pem: text, passphrase: "fixture-pass", source: "fuzz.key.pem", requireEncrypted: false)
        }
    }

    @Test func jwk() {
        let corpus = Fuzz.files(under: TestSupport.fixture("rfc"), suffixes: [".json"])
            + Self.keys.map { Array($0.jwkJSON.utf8) }
        Fuzz.run("jwk", corpus: corpus, seed: 0x5EED_0106, iterations: 500, accepts: Self.isSigningError) { bytes in
            _ = try PublicKey(jwk: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Trust files (YAML) written to a temporary folder next to copies of their key files.
    @Test func trustStoreFile() throws {
        let source = TestSupport.fixture("trust")
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: source.appendingPathComponent("keys"), to: folder.appendingPathComponent("keys"))
        let corpus = Fuzz.files(under: source, suffixes: [".yaml"])
        let file = folder.appendingPathComponent("trust.yaml")
        Fuzz.run("trust-yaml", corpus: corpus, seed: 0x5EED_0107, iterations: 80, accepts: Self.isSigningError) { bytes in
            try Data(bytes).write(to: file)
            _ = try TrustStore.load(file: file.path, demoMode: true)
        }
    }
}
