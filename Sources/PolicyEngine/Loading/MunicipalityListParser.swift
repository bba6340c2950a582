import Diagnostics
import Foundation

/// Reads `municipalities` of `policy.yaml`: a list of the county's town and municipality names, each as its lists
/// write it. A blank name, one with leading or trailing spaces or control characters, and a name listed twice
/// (compared in Unicode NFC, so a decomposed `Königswinter` from a Mac is the same name) are errors at their line.
struct MunicipalityListParser {
    let reader: NodeReader

    func parse(_ node: YAMLNode?) -> [String] {
        guard let node, let items = reader.strings(node, what: "municipalities") else { return [] }
        var seen: [String: SourceLocation] = [:]
        var names: [String] = []
        for (raw, location) in items {
            let name = raw.precomposedStringWithCanonicalMapping
            if name.trimmingCharacters(in: .whitespaces).isEmpty || name != name.trimmingCharacters(in: .whitespaces)
                || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                reader.report("invalid-value", at: location,
                              de: "municipalities: `\(raw)` ist kein Kommunenname (leer, Leerzeichen am Rand oder Steuerzeichen)",
                              en: "municipalities: `\(raw)` is not a municipality name (blank, spaces at an end, or control characters)")
                continue
            }
            if let first = seen[name] {
                reader.report("duplicate-id", at: location, de: "municipalities: `\(name)` doppelt (zuerst in \(first))",
                              en: "municipalities: `\(name)` listed twice (first at \(first))")
                continue
            }
            seen[name] = location
            names.append(name)
        }
        return names
    }
}
