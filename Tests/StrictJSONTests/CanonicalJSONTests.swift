import StrictJSON
import Testing

@Suite("RFC 8785 canonical JSON and the strict parser")
struct CanonicalJSONTests {
    func canonical(_ text: String) throws -> String {
        String(decoding: CanonicalJSON.encode(try JSONParser.parse(Array(text.utf8))), as: UTF8.self)
    }

    @Test("RFC 8785 §3.2.2 example: literals and the string (the number part needs floats, which entries never hold)")
    func rfcLiteralsAndString() throws {
        let input = #"""
            {
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """#
        #expect(try canonical(input) == #"{"literals":[null,true,false],"string":"€$\u000f\nA'B\"\\\\\"/"}"#)
    }

    @Test("RFC 8785 §3.2.3 example: keys sorted by UTF-16 code units")
    func rfcSorting() throws {
        let input = #"""
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """#
        let expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"דּ\":\"Hebrew Letter Dalet With Dagesh\"}"
        #expect(try canonical(input) == expected)
    }

    @Test("Control characters use the short escapes or lower-case \\u00xx; everything else is literal")
    func escaping() {
        let s = JSONValue.string("a\u{08}\u{09}\u{0A}\u{0C}\u{0D}\u{01}\u{1F}\"\\/\u{7F}é")
        #expect(String(decoding: CanonicalJSON.encode(s), as: UTF8.self) == #""a\b\t\n\f\r\u0001\u001f\"\\/"# + "\u{7F}é\"")
    }

    @Test("Integers in plain decimal, including the safe-integer bounds", arguments: [
        (Int64(0), "0"), (-1, "-1"), (42, "42"), (9_007_199_254_740_991, "9007199254740991"), (-9_007_199_254_740_991, "-9007199254740991"),
    ])
    func integers(value: Int64, text: String) {
        #expect(String(decoding: CanonicalJSON.encode(.int(value)), as: UTF8.self) == text)
    }

    /// A value refused inside a member carries the member's path (for messages; equality ignores it).
    @Test(arguments: [("{\"a\":{\"b\":1.5}}", "a.b"), ("[1,2.5]", "[1]"), ("{\"x\":[{\"y\":1e3}]}", "x[0].y"), ("1.5", nil as String?),
                      ("{\"a\":[1,]}", "a[1]")])
    func aRefusedValueNamesItsMember(_ text: String, _ member: String?) {
        do {
            _ = try JSONParser.parse(Array(text.utf8))
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.member == member, "\(error)")
        }
    }

    @Test("The parser rejects what signed documents never contain", arguments: [
        "1.5", "1e3", "{\"a\":1,\"a\":2}", "[1,]", "{\"a\":1} x", "\"\\ud800\"", "01", "9007199254740992",
    ])
    func rejects(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test("Errors name the reason and the byte offset", arguments: [
        ("[1,]", 3, "unexpected character"),
        ("{\"a\":1,\"a\":2}", 7, "duplicate member \"a\""),
        // A nested duplicate is named by its path from the top (it was the bare name before).
        ("{\"template\":{\"id\":1,\"id\":2}}", 20, "duplicate member \"template.id\""),
        ("{\"clauses\":[{\"a\":1},{\"a\":1,\"a\":2}]}", 27, "duplicate member \"clauses[1].a\""),
        ("[{\"a\":1,\"a\":2}]", 8, "duplicate member \"[0].a\""),
        ("{\"a\":[1,]}", 8, "unexpected character"),
        ("{\"a\":1} x", 8, "trailing bytes after the JSON value"),
        ("01", 0, "leading zero in a number"),
        ("9007199254740992", 0, "integer outside ±(2^53 − 1)"),
        ("-9007199254740992", 0, "integer outside ±(2^53 − 1)"),
        ("\"\\u+041\"", 3, "invalid \\u escape"),
        ("\"\\udc00\"", 7, "lone surrogate in \\u escape"),
        ("\"a\u{01}\"", 2, "control character in a string"),
        ("[tru]", 1, "invalid literal"),
        ("", 0, "unexpected end of input"),
    ])
    func errorsNameTheByte(text: String, offset: Int, reason: String) {
        #expect(throws: JSONSyntaxError(offset: offset, reason: reason)) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test("Invalid UTF-8 inside a string is refused, not repaired", arguments: [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xFF, 0x22]] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        #expect { try JSONParser.parse(bytes) } throws: { ($0 as? JSONSyntaxError)?.reason == "string is not valid UTF-8" }
    }

    @Test("The limits: size and depth", arguments: [(3, false), (4, true)])
    func limits(depth: Int, refused: Bool) throws {
        let text = Array((String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)).utf8)
        let limits = JSONParser.Limits(maximumBytes: 64, maximumDepth: 3)
        if refused {
            #expect(throws: JSONSyntaxError(offset: 4, reason: "nested deeper than 3 levels")) { try JSONParser.parse(text, limits: limits) }
        } else {
            #expect(try JSONParser.parse(text, limits: limits) != .null)
        }
        #expect(throws: JSONSyntaxError(offset: 0, reason: "larger than 64 bytes (65)")) {
            try JSONParser.parse(Array(repeating: 0x20, count: 60) + Array("12345".utf8), limits: limits)
        }
    }

    @Test("Surrogate pairs read as one scalar; a parsed document re-encodes to the canonical form")
    func surrogatePairs() throws {
        #expect(try JSONParser.parse(Array(#"{"a":"\ud834\udd1e\u00fc"}"#.utf8)) == .object(["a": .string("𝄞ü")]))
        let value = JSONValue.object(["k\"ey": .string("a\\b\u{1}\n\t\"ü€𝄞"), "n": .int(-3), "l": .array([.null, .bool(true)])])
        #expect(try JSONParser.parse(CanonicalJSON.encode(value)) == value)
    }

    @Test("The indented form: members sorted, two spaces a level, empty containers inline, a final line feed")
    func indented() throws {
        let value = JSONValue.object([
            "zeta": .array([.int(1), .object(["b": .string("Київ"), "a": .null])]),
            "alpha": .object([:]), "mid": .array([]),
        ])
        let expected = """
            {
              "alpha": {},
              "mid": [],
              "zeta": [
                1,
                {
                  "a": null,
                  "b": "Київ"
                }
              ]
            }

            """
        #expect(String(decoding: CanonicalJSON.encodeIndented(value), as: UTF8.self) == expected)
        #expect(try JSONParser.parse(CanonicalJSON.encodeIndented(value)) == value)
        var piece: [UInt8] = []
        CanonicalJSON.writeIndented(.array([.int(1)]), level: 2, into: &piece)
        #expect(String(decoding: piece, as: UTF8.self) == "[\n      1\n    ]")
    }
}
