import Diagnostics
import StrictJSON
import Testing

/// Every refusal of the strict parser has words of its own in German and English, so no German message
/// (web answers, consent files, JWS documents) carries the parser's English phrase.
@Suite("The strict parser's refusals in German and English")
struct SyntaxWordsTests {
    static let limits = JSONParser.Limits(maximumBytes: 1000, maximumDepth: 32)

    @Test(arguments: ["{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "[1 2]", "-", "01", "1.5", "1e3",
                      "12345678901234567890", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\u{1}\"", "tru", "{\"a\":1,\"a\":2}",
                      "{} x", "@", String(repeating: "[", count: 40) + String(repeating: "]", count: 40), "[\"\\ud800x\"]",
                      String(repeating: " ", count: 1001) + "1", "\"\\", "[1", "{\"a\":1"])
    func everyRefusalIsWorded(text: String) throws {
        let bytes = Array(text.utf8)
        do {
            _ = try JSONParser.parse(bytes, limits: Self.limits)
            Issue.record("accepted: \(text)")
        } catch {
            let words = error.words(in: bytes).text
            #expect(words.de != "nicht lesbar", "no German words for \"\(error.reason)\"")
            #expect(words.de != error.reason || error.reason.hasPrefix("\""), "German is the English reason \"\(error.reason)\"")
            #expect(!words.en.isEmpty)
        }
    }

    @Test("a trailing comma is named as such when the bytes are given; the size limit keeps its numbers")
    func trailingCommaAndSize() throws {
        let comma = Array("{\"a\":1,}".utf8)
        do { _ = try JSONParser.parse(comma); Issue.record("accepted") } catch {
            #expect(error.words(in: comma).text.de == "überzähliges Komma vor der schließenden Klammer")
            #expect(error.words().text.de == "Feldname in Anführungszeichen erwartet", "without the bytes: the parser's reason, worded")
        }
        let big = Array(String(repeating: "1", count: 1001).utf8)
        do { _ = try JSONParser.parse(big, limits: Self.limits); Issue.record("accepted") } catch {
            #expect(error.words().text == LocalizedText(de: "größer als 1000 Bytes (1001)", en: "larger than 1000 bytes (1001)"))
            #expect(error.words().syntax == false)
        }
        do { _ = try JSONParser.parse([0x22, 0xFF, 0x22]); Issue.record("accepted") } catch {
            #expect(error.words().text.de == "Zeichenkette ist kein gültiges UTF-8")
        }
    }
}
