import Foundation
import Testing
import FuzzSupport
@testable import StrictJSON

/// The strict JSON reader under mutated signed documents, payloads and vectors: it returns a value or throws
/// `JSONSyntaxError` with an offset inside the input, and what it accepts survives the canonical round trip.
/// Run long with `CONSENTGATE_FUZZ_ITERATIONS=200000 swift test --skip-build --filter StrictJSONFuzzTests`
/// (see `FuzzSupport.swift`).
@Suite struct StrictJSONFuzzTests {
    static let corpus: [[UInt8]] = {
        let root = Fuzz.repository.appendingPathComponent("Tests")
        var files = Fuzz.files(under: root.appendingPathComponent("SigningTests/Fixtures/jws"), suffixes: [".json"])
            + Fuzz.files(under: root.appendingPathComponent("ConsentRecordsTests/Fixtures/payloads"), suffixes: [".json"])
        files.append(Array(#"{"a":[1,-2,true,false,null,"\u00e4\ud83d\ude00\n"],"b":{"":9007199254740991}}"#.utf8))
        return files
    }()

    @Test(arguments: [JSONParser.Limits(), JSONParser.Limits(maximumBytes: 4096, maximumDepth: 4)])
    func parseReturnsOrThrowsItsErrorAndRoundTrips(limits: JSONParser.Limits) {
        Fuzz.run("strict-json-\(limits.maximumDepth)", corpus: Self.corpus, seed: 0x5EED_0001, iterations: 1_000,
                 accepts: { $0 is JSONSyntaxError }) { bytes in
            let value: JSONValue
            do { value = try JSONParser.parse(bytes, limits: limits) } catch let error as JSONSyntaxError {
                #expect((0...bytes.count).contains(error.offset), "offset \(error.offset) outside \(bytes.count) bytes")
                _ = error.words(in: bytes)
                throw error
            } catch { throw error }
            let canonical = CanonicalJSON.encode(value)
            #expect(try JSONParser.parse(canonical) == value, "canonical form does not read back")
            _ = CanonicalJSON.encodeIndented(value)
        }
    }
}
