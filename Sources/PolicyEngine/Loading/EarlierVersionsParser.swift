import Diagnostics

/// Reads a template's `earlier-versions`: the versions the bundle keeps so that consents signed on them stay valid
/// after the template was bumped. Each is a complete definition, checked exactly as the current one (by
/// `TemplateParser.definition`); its version must be lower than the current one and listed once, and it keeps no
/// earlier versions of its own. Each may carry `recordable-until` (a Berlin calendar day `YYYY-MM-DD`: the last signing
/// day a declaration on it may still be recorded on it). Every problem is reported at its place.
struct EarlierVersionsParser {
    let parser: TemplateParser
    private var reader: NodeReader { parser.reader }

    /// The earlier versions of `current` (newest first), or `[]` when `node` is absent or has errors that drop them.
    func parse(_ node: YAMLNode?, of current: ConsentTemplate, what: String,
               texts: (String) -> BundleLoader.TextLookup) -> [ConsentTemplate] {
        guard let node else { return [] }
        guard case .sequence(let items) = node.kind else {
            reader.report("wrong-type", at: node.location, de: "\(what): Liste erwartet", en: "\(what): a list was expected")
            return []
        }
        if items.isEmpty {
            reader.report("invalid-value", at: node.location, de: "\(what): leere Liste; ohne frühere Versionen den Schlüssel weglassen",
                          en: "\(what): empty list; omit the key when no earlier version is kept")
        }
        var seen: [Int: SourceLocation] = [:]
        var out: [ConsentTemplate] = []
        for (i, item) in items.enumerated() {
            let w = "\(what)[\(i)]"
            let o = reader.object(item, what: w, allowed: TemplateParser.definitionKeys + ["earlier-versions", Self.recordableUntilKey],
                                  required: TemplateParser.requiredKeys)
            if o["earlier-versions"] != nil {
                reader.report("invalid-value", at: Self.keyLocation("earlier-versions", in: item) ?? item.location,
                              de: "\(w): eine frühere Version hat keine eigenen `earlier-versions`; alle früheren Versionen stehen in einer Liste unter der aktuellen",
                              en: "\(w): an earlier version has no `earlier-versions` of its own; list every earlier version under the current one")
            }
            let version = o["version"].flatMap(Self.plainInt)
            let recordableUntil = Self.day(o[Self.recordableUntilKey], what: "\(w).\(Self.recordableUntilKey)", reader: reader)
            guard var earlier = parser.definition(o, id: current.id, name: "\(current.id) v\(version.map(String.init) ?? "?")", what: w,
                                                  at: item.location, texts: texts),
                  let version, let versionNode = o["version"] else { continue }
            if version >= current.version {
                reader.report("invalid-value", at: versionNode.location,
                              de: "\(w).version: \(version) ist nicht kleiner als die aktuelle Version \(current.version) von `\(current.id)`; eine frühere Version muss älter sein",
                              en: "\(w).version: \(version) is not lower than the current version \(current.version) of `\(current.id)`; an earlier version must be older")
                continue
            }
            if let first = seen[version] {
                reader.report("duplicate-id", at: versionNode.location,
                              de: "\(w).version: Version \(version) von `\(current.id)` doppelt (zuerst in \(first))",
                              en: "\(w).version: version \(version) of `\(current.id)` listed twice (first at \(first))")
                continue
            }
            seen[version] = versionNode.location
            earlier.recordableUntil = recordableUntil
            out.append(earlier)
        }
        return out.sorted { $0.version > $1.version }
    }

    /// The key of a version's last recording day (`ConsentTemplate.recordableUntil`): on an earlier version its recording
    /// window, on the current version (read by `TemplateParser`) the day after which the template is retired.
    static let recordableUntilKey = "recordable-until"

    /// A calendar day written `YYYY-MM-DD` (days since 1970-01-01), or nil when `node` is absent or wrong (reported at
    /// the value: text of another form, or a day no calendar has such as `2027-02-30`).
    static func day(_ node: YAMLNode?, what: String, reader: NodeReader) -> Int? {
        guard let node, let text = reader.string(node, what: what) else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            reader.report("invalid-value", at: node.location, de: "\(what): `\(text)` ist kein Datum der Form JJJJ-MM-TT (etwa 2027-01-31)",
                          en: "\(what): `\(text)` is not a date of the form YYYY-MM-DD (such as 2027-01-31)")
            return nil
        }
        guard let day = UTCDay.parse(text) else {
            reader.report("invalid-value", at: node.location, de: "\(what): `\(text)` ist kein Kalendertag",
                          en: "\(what): `\(text)` is not a day of the calendar")
            return nil
        }
        return day
    }

    /// The value `NodeReader.int` reads (a plain integer scalar), without reporting: the definition reports it.
    static func plainInt(_ node: YAMLNode) -> Int? {
        if case .scalar(let s, true) = node.kind { return Int(s) }
        return nil
    }

    /// Where `key` is written in the mapping `node` (nil when it is not a mapping or has no such key).
    static func keyLocation(_ key: String, in node: YAMLNode) -> SourceLocation? {
        guard case .mapping(let pairs) = node.kind else { return nil }
        return pairs.first { $0.0.scalar == key }?.0.location
    }
}
