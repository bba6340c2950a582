import Diagnostics

/// Shortens the values an error message quotes when they are over-long: a 200,000-character partner id came back whole
/// in a 200 KB answer (found by probing the service). A quoted value (between `"…"`, `„…“` or `“…”`) longer than
/// `limit` characters keeps its first `kept` characters, then `…` and how long it was; the rest of the message, and any
/// value of ordinary length, stays as it is.
enum LongValueShortening {
    static let limit = 200
    static let kept = 100

    /// `message` (in `language`) with each over-long quoted value shortened.
    static func shortened(_ message: String, language: Language) -> String {
        guard message.count > limit else { return message }
        let pairs: [Character: Character] = ["\"": "\"", "„": "“", "“": "”"]
        var out = ""
        var rest = message[...]
        while let open = rest.firstIndex(where: { pairs[$0] != nil }) {
            let close = pairs[rest[open]]!
            let inner = rest.index(after: open)
            guard let end = rest[inner...].firstIndex(of: close) else { break }
            out += rest[...open]
            let value = rest[inner..<end]
            if value.count > limit {
                let words = language == .de ? "… (\(value.count) Zeichen)" : "… (\(value.count) characters)"
                out += value.prefix(kept) + words
            } else {
                out += value
            }
            out.append(close)
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    /// `text` in both languages, each shortened.
    static func shortened(_ text: LocalizedText) -> LocalizedText {
        LocalizedText(de: shortened(text.de, language: .de), en: shortened(text.en, language: .en))
    }
}
