import Diagnostics

/// Typed reading of `YAMLNode`s that records every problem (with its location) instead of stopping at the first.
/// One reader per load; not shared across threads.
final class NodeReader {
    private(set) var diagnostics: [PolicyDiagnostic] = []
    /// Whether the bundle comes from the policy archive (`BundleLoader.load(directory:archived:)`).
    let archived: Bool

    init(diagnostics: [PolicyDiagnostic] = [], archived: Bool = false) { self.diagnostics = diagnostics; self.archived = archived }

    func report(_ code: String, at location: SourceLocation?, de: String, en: String) {
        diagnostics.append(PolicyDiagnostic(code: code, location: location, message: LocalizedText(de: de, en: en)))
    }

    /// Reports a problem found by a check added after bundles were first archived (2026-12-03: an attribute without a
    /// comparison; 2026-12-05: a forbid rule's `basis`, a condition that states nothing, comparisons that exclude each
    /// other). A bundle in the archive was in
    /// force without it and is replayed as it was loaded then, so reading the archive does not report it; the code
    /// after the call must parse exactly as before the check existed.
    func reportLaterCheck(_ code: String, at location: SourceLocation?, de: String, en: String) {
        if !archived { report(code, at: location, de: de, en: en) }
    }

    func append(_ list: [PolicyDiagnostic]) { diagnostics.append(contentsOf: list) }

    /// The entries of a mapping as (key, key location, value), in file order; reports a non-mapping.
    func entries(_ node: YAMLNode, what: String) -> [(key: String, location: SourceLocation, value: YAMLNode)] {
        if node.isNull { return [] }
        guard case .mapping(let pairs) = node.kind else {
            report("wrong-type", at: node.location, de: "\(what): Zuordnung (key: value) erwartet",
                   en: "\(what): a mapping (key: value) was expected")
            return []
        }
        var out: [(key: String, location: SourceLocation, value: YAMLNode)] = []
        for (k, v) in pairs {
            guard let key = k.scalar else {
                report("wrong-type", at: k.location, de: "\(what): Schlüssel muss ein Text sein", en: "\(what): keys must be text")
                continue
            }
            out.append((key, k.location, v))
        }
        return out
    }

    /// A mapping's values by key, reporting unknown keys (with the allowed ones) and missing required keys.
    func object(_ node: YAMLNode, what: String, allowed: [String], required: [String] = []) -> [String: YAMLNode] {
        var out: [String: YAMLNode] = [:]
        let list = entries(node, what: what)
        if case .mapping = node.kind {} else if !node.isNull { return [:] }
        for e in list {
            if allowed.contains(e.key) {
                out[e.key] = e.value
            } else {
                let known = allowed.joined(separator: ", ")
                report("unknown-key", at: e.location, de: "\(what): unbekannter Schlüssel `\(e.key)` (erlaubt: \(known))",
                       en: "\(what): unknown key `\(e.key)` (allowed: \(known))")
            }
        }
        for key in required where out[key] == nil {
            report("missing-key", at: node.location, de: "\(what): Pflichtangabe `\(key)` fehlt",
                   en: "\(what): required key `\(key)` is missing")
        }
        return out
    }

    /// A text scalar (any scalar reads as text).
    func string(_ node: YAMLNode?, what: String) -> String? {
        guard let node else { return nil }
        guard let s = node.scalar, !node.isNull else {
            report("wrong-type", at: node.location, de: "\(what): Text erwartet", en: "\(what): text expected")
            return nil
        }
        return s
    }

    /// A plain integer scalar.
    func int(_ node: YAMLNode?, what: String) -> Int? {
        guard let node else { return nil }
        if case .scalar(let s, true) = node.kind, let v = Int(s) { return v }
        report("wrong-type", at: node.location, de: "\(what): ganze Zahl erwartet", en: "\(what): a whole number was expected")
        return nil
    }

    /// A plain `true`/`false` scalar.
    func bool(_ node: YAMLNode?, what: String) -> Bool? {
        guard let node else { return nil }
        if case .scalar(let s, true) = node.kind, s == "true" || s == "false" { return s == "true" }
        report("wrong-type", at: node.location, de: "\(what): `true` oder `false` erwartet", en: "\(what): `true` or `false` expected")
        return nil
    }

    /// A list of text scalars; a single scalar counts as a one-element list.
    func strings(_ node: YAMLNode?, what: String) -> [(String, SourceLocation)]? {
        guard let node else { return nil }
        switch node.kind {
        case .sequence(let items):
            return items.compactMap { item in string(item, what: what).map { ($0, item.location) } }
        case .scalar:
            if node.isNull { return [] }
            return [(node.scalar!, node.location)]
        case .mapping:
            report("wrong-type", at: node.location, de: "\(what): Liste erwartet", en: "\(what): a list was expected")
            return nil
        }
    }

    /// A `{de: ..., en: ...}` label; both languages are required.
    func label(_ node: YAMLNode?, what: String, at parent: SourceLocation) -> LocalizedText? {
        guard let node else {
            report("missing-key", at: parent, de: "\(what): Bezeichnung `{de: …, en: …}` fehlt", en: "\(what): label `{de: …, en: …}` is missing")
            return nil
        }
        let o = object(node, what: what, allowed: ["de", "en"], required: ["de", "en"])
        guard let de = string(o["de"], what: what), let en = string(o["en"], what: what) else { return nil }
        return LocalizedText(de: de, en: en)
    }

    /// A value from a fixed set of words; a value outside it is reported with the words allowed (found in a review of
    /// policy authoring: `effect: Permit` read "invalid value" without saying `permit` or `forbid`).
    func word<T: RawRepresentable & CaseIterable>(_ node: YAMLNode?, what: String, as: T.Type) -> T? where T.RawValue == String {
        guard let node, let s = string(node, what: what) else { return nil }
        if let v = T(rawValue: s) { return v }
        let allowed = T.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
        let hint = T.allCases.first { $0.rawValue.lowercased() == s.lowercased() }.map { $0.rawValue }
        report("invalid-value", at: node.location,
               de: "\(what): unzulässiger Wert `\(s)` (erlaubt: \(allowed)\(hint.map { "; gemeint ist wohl `\($0)`, kleingeschrieben" } ?? ""))",
               en: "\(what): invalid value `\(s)` (allowed: \(allowed)\(hint.map { "; did you mean `\($0)`, in lower case" } ?? ""))")
        return nil
    }
}
