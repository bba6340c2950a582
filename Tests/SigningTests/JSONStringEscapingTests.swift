import Diagnostics
import Foundation
import Testing

/// The one JSON string escaper (RFC 8785 form) that every JSON writer of the project uses.
@Suite struct JSONStringEscapingTests {
    @Test(arguments: [
        ("plain", "\"plain\""),
        ("a\"b\\c", "\"a\\\"b\\\\c\""),
        ("\u{08}\u{09}\u{0A}\u{0C}\u{0D}", "\"\\b\\t\\n\\f\\r\""),
        ("\u{00}\u{01}\u{1F}", "\"\\u0000\\u0001\\u001f\""),
        ("\u{7F}/€ Ірина 😀", "\"\u{7F}/€ Ірина 😀\""),
        ("", "\"\""),
    ])
    func quotesAsRFC8785(input: String, expected: String) {
        #expect(JSONStringEscaping.quoted(input) == expected)
        var bytes: [UInt8] = [0x5B]
        JSONStringEscaping.append(input, to: &bytes)
        #expect(bytes == [0x5B] + Array(expected.utf8))
    }

    /// Every ASCII character and some beyond read back unchanged by an independent parser.
    @Test func foundationReadsEveryQuotedStringBack() throws {
        let text = String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init))) + "ä€😀\u{2028}"
        let json = "[" + JSONStringEscaping.quoted(text) + "]"
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
        #expect(parsed == [text])
    }
}
