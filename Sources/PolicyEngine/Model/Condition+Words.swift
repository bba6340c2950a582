import Diagnostics

extension Condition {
    /// The condition in words a case manager reads, in German and English: each attribute by its `label` (its id where
    /// it has none), comparisons as words, `true`/`false` as ja/nein, e.g. „Unbegleitet minderjährig: ja und Alter in
    /// vollendeten Jahren am Entscheidungstag unter 18“. The pages showed `unaccompanied-minor = true ∧ age < 18`
    /// (`text`, which `policy explain` keeps), found in a review of the pages, 2026-12-06.
    public func words(label: (String) -> LocalizedText?) -> LocalizedText {
        switch self {
        case .always: return LocalizedText(de: "", en: "")
        case .all(let list): return Self.joined(list.map { $0.words(label: label) }, de: " und ", en: " and ")
        case .any(let list):
            let inner = Self.joined(list.map { $0.words(label: label) }, de: " oder ", en: " or ")
            return LocalizedText(de: "(\(inner.de))", en: "(\(inner.en))")
        case .test(let attribute, let op, let values):
            let name = label(attribute) ?? LocalizedText(de: attribute, en: attribute)
            return Self.test(name, op, values)
        }
    }

    private static func joined(_ parts: [LocalizedText], de: String, en: String) -> LocalizedText {
        LocalizedText(de: parts.map(\.de).joined(separator: de), en: parts.map(\.en).joined(separator: en))
    }

    private static func value(_ v: AttributeValue) -> LocalizedText {
        switch v {
        case .bool(let b): return LocalizedText(de: b ? "ja" : "nein", en: b ? "yes" : "no")
        case .string(let s): return LocalizedText(de: "„\(s)“", en: "“\(s)”")
        case .int, .day: return LocalizedText(de: v.description, en: v.description)
        }
    }

    private static func test(_ name: LocalizedText, _ op: ComparisonOperator, _ values: [AttributeValue]) -> LocalizedText {
        let first = values.first.map(value) ?? LocalizedText(de: "", en: "")
        switch op {
        case .eq: return LocalizedText(de: "\(name.de): \(first.de)", en: "\(name.en): \(first.en)")
        case .ne:
            // "not yes" is "no".
            if case .bool(let b)? = values.first { return test(name, .eq, [.bool(!b)]) }
            return LocalizedText(de: "\(name.de): nicht \(first.de)", en: "\(name.en): not \(first.en)")
        case .lt: return LocalizedText(de: "\(name.de) unter \(first.de)", en: "\(name.en) below \(first.en)")
        case .le: return LocalizedText(de: "\(name.de) höchstens \(first.de)", en: "\(name.en) at most \(first.en)")
        case .gt: return LocalizedText(de: "\(name.de) über \(first.de)", en: "\(name.en) above \(first.en)")
        case .ge: return LocalizedText(de: "\(name.de) mindestens \(first.de)", en: "\(name.en) at least \(first.en)")
        case .in:
            let all = values.map(value)
            func list(_ texts: [String], _ or: String) -> String {
                texts.count < 2 ? texts.joined() : texts.dropLast().joined(separator: ", ") + " \(or) " + texts.last!
            }
            return LocalizedText(de: "\(name.de): \(list(all.map(\.de), "oder"))", en: "\(name.en): \(list(all.map(\.en), "or"))")
        }
    }
}
