import Foundation
import Testing
@testable import Signing

/// Base64url decoding accepts exactly one text per byte string (review crypto.md finding 7).
@Suite struct Base64URLTests {
    /// RFC 4648 §10 test vectors, in the url alphabet without padding, plus both non-standard characters.
    @Test(arguments: [
        ("", ""), ("Zg", "f"), ("Zm8", "fo"), ("Zm9v", "foo"), ("Zm9vYg", "foob"), ("Zm9vYmE", "fooba"),
        ("Zm9vYmFy", "foobar"), ("-_8", "\u{FB}\u{FF}"),
    ])
    func vectorsDecode(text: String, latin1: String) throws {
        let bytes = latin1.unicodeScalars.map { UInt8($0.value) }
        #expect(try Base64URL.decodeCanonical(text) == bytes)
        #expect(Base64URL.encode(bytes) == text)
    }

    @Test(arguments: [
        ("A", Base64URL.DecodingError.invalidLength(1)),
        ("Zm9vY", .invalidLength(5)),
        ("Zg==", .invalidCharacter(offset: 2)),
        ("+_8", .invalidCharacter(offset: 0)),
        ("-/8", .invalidCharacter(offset: 1)),
        ("Zm9v\nYg", .invalidCharacter(offset: 4)),
        (" Zg", .invalidCharacter(offset: 0)),
        ("Zé", .invalidCharacter(offset: 1)),
        ("Zh", .nonZeroTrailingBits),   // "f" is "Zg"
        ("Zm9", .nonZeroTrailingBits),  // "fo" is "Zm8"
        ("AB", .nonZeroTrailingBits),
    ])
    func invalidTextsAreRefusedWithTheReason(text: String, expected: Base64URL.DecodingError) {
        #expect(throws: expected) { try Base64URL.decodeCanonical(text) }
        #expect(Base64URL.decode(text) == nil)
    }

    /// For every length, every text that only differs from the canonical one in the last character's unused
    /// bits is refused, although Foundation's decoder gives the same bytes for it.
    @Test(arguments: 0..<67)
    func onlyTheCanonicalTextDecodes(count: Int) throws {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let canonical = Base64URL.encode(bytes)
        #expect(try Base64URL.decodeCanonical(canonical) == bytes)
        let unusedBits = [0: 0, 1: 4, 2: 2][count % 3]!
        guard unusedBits > 0 else { return }
        let last = alphabet.firstIndex(of: canonical.last!)!
        #expect(last % (1 << unusedBits) == 0)
        for extra in 1..<(1 << unusedBits) {
            let variant = String(canonical.dropLast()) + String(alphabet[last + extra])
            #expect(throws: Base64URL.DecodingError.nonZeroTrailingBits) { try Base64URL.decodeCanonical(variant) }
            let padded = variant.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                + String(repeating: "=", count: (4 - variant.count % 4) % 4)
            #expect(Data(base64Encoded: padded).map { [UInt8]($0) } == bytes)  // the malleability being closed
        }
    }
}
