import Foundation
import Diagnostics

/// Parses `rules` and `when` conditions, checking every reference, pattern and condition type.
struct RuleParser {
    let reader: NodeReader
    let declarations: Declarations

    static let ruleKeys = ["id", "effect", "partners", "purposes", "fields", "categories", "when", "basis", "citation", "unless", "note"]

    func parseRules(_ nodes: [YAMLNode]) -> [Rule] {
        var rules: [Rule] = []
        var seen: [String: SourceLocation] = [:]
        for (index, node) in nodes.enumerated() {
            let o = reader.object(node, what: "rules[\(index)]", allowed: Self.ruleKeys, required: ["id", "effect"])
            let id = reader.string(o["id"], what: "rules[\(index)].id") ?? "#\(index)"
            let what = "rule `\(id)`"
            if let first = seen[id], let idNode = o["id"] {
                reader.report("duplicate-id", at: idNode.location, de: "Regel `\(id)` doppelt (zuerst in \(first))",
                              en: "duplicate rule `\(id)` (first at \(first))")
            } else if o["id"] != nil { seen[id] = node.location }
            let givenEffect = reader.word(o["effect"], what: "\(what).effect", as: Rule.Effect.self)
            let effect = givenEffect ?? .forbid
            let cited = citation(o["citation"], rule: id, at: node.location)
            var basis = Rule.Basis.statute
            // With an effect that is neither word, the checks that depend on it would only add wrong follow-on errors.
            if givenEffect == nil, o["effect"] != nil {
                if let b = o["basis"] { basis = reader.word(b, what: "\(what).basis", as: Rule.Basis.self) ?? .statute }
            } else if let b = o["basis"], effect == .forbid, !reader.archived {
                // A forbid blocks whatever its basis; a `basis` on it would be silently ignored (and a DPO could read
                // `basis: consent` as "consent lifts it", which only `unless: explicit-consent` does).
                reader.report("invalid-value", at: EarlierVersionsParser.keyLocation("basis", in: node) ?? b.location,
                              de: "\(what): `basis` gilt nur für permit-Regeln; eine forbid-Regel sperrt unabhängig davon (Ausnahme nur mit `unless: explicit-consent`)",
                              en: "\(what): `basis` applies to permit rules only; a forbid rule blocks regardless (the only exception is `unless: explicit-consent`)")
            } else if let b = o["basis"] { basis = reader.word(b, what: "\(what).basis", as: Rule.Basis.self) ?? .statute }
            else if effect == .permit {
                reader.report("missing-key", at: node.location, de: "\(what): Pflichtangabe `basis` fehlt (statute oder consent)",
                              en: "\(what): required key `basis` is missing (statute or consent)")
            }
            var unless = false
            if let u = o["unless"] {
                if reader.string(u, what: "\(what).unless") == "explicit-consent" { unless = true } else {
                    reader.report("invalid-value", at: u.location, de: "\(what).unless: nur `explicit-consent` ist erlaubt",
                                  en: "\(what).unless: only `explicit-consent` is allowed")
                }
                if effect != .forbid {
                    reader.report("invalid-value", at: u.location, de: "\(what): `unless` gilt nur für forbid-Regeln",
                                  en: "\(what): `unless` applies to forbid rules only")
                }
            }
            let partners = ids(o["partners"], kind: .partner, known: declarations.partnerIDs, what: "\(what).partners")
            let purposes = ids(o["purposes"], kind: .purpose, known: declarations.purposeIDs, what: "\(what).purposes")
            let fields = patterns(o["fields"], kind: .field, known: declarations.fields.map(\.id), what: "\(what).fields")
            let categories = patterns(o["categories"], kind: .category, known: declarations.categories.map(\.id), what: "\(what).categories")
            if fields.isEmpty && categories.isEmpty {
                reader.report("missing-key", at: node.location, de: "\(what): nennt weder `fields` noch `categories`",
                              en: "\(what): names neither `fields` nor `categories`")
            }
            let when = o["when"].map { statedCondition($0, what: "\(what).when") } ?? .always
            let note = o["note"].flatMap { reader.label($0, what: "\(what).note", at: node.location) }
            rules.append(Rule(id: id, effect: effect, partners: partners, purposes: purposes, fields: fields,
                              categories: categories, when: when, basis: basis, citation: cited.canonical, citationEnglish: cited.english,
                              unlessExplicitConsent: unless, note: note, location: node.location))
        }
        return rules
    }

    /// A list of declared ids; nil when the key is absent (meaning "any"). An empty list or null would mean
    /// "none" (a rule that never applies), which is reported: omit the key to mean any.
    func ids(_ node: YAMLNode?, kind: PolicyIDKind, known: Set<String>, what: String) -> [String]? {
        guard let list = reader.strings(node, what: what) else { return nil }
        if list.isEmpty, let node {
            reader.report("invalid-value", at: node.location,
                          de: "\(what): leere Liste, die Regel gälte für keinen \(kind.name.de); für jeden den Schlüssel weglassen",
                          en: "\(what): empty list, the rule would apply to no \(kind.name.en); omit the key to mean any")
        }
        for (id, loc) in list where !known.contains(id) { reader.unknown(kind, id, at: loc, known: known) }
        return list.map(\.0)
    }

    /// Ids or patterns; a pattern must match at least one declared id, a plain id must be declared.
    func patterns(_ node: YAMLNode?, kind: PolicyIDKind, known: [String], what: String) -> [String] {
        guard let list = reader.strings(node, what: what) else { return [] }
        let knownSet = Set(known)
        for (p, loc) in list {
            if Glob.isPattern(p) {
                if !known.contains(where: { Glob.matches(p, $0) }) {
                    reader.report("glob-matches-nothing", at: loc, de: "\(what): Muster `\(p)` trifft auf nichts zu (\(kind.name.de))",
                                  en: "\(what): pattern `\(p)` matches no \(kind.name.en)")
                }
            } else if !knownSet.contains(p) {
                reader.unknown(kind, p, at: loc, known: known)
            }
        }
        return list.map(\.0)
    }

    /// A condition written under its key (a rule's `when`, an export profile's `records`). One that states no condition
    /// (`when: {}`, `when: ~`, or `when:` whose only line is commented out, which YAML reads as null) would hold for
    /// everyone without a word, like an empty `any-of` alternative: an error at the value; omit the key to mean everyone.
    func statedCondition(_ node: YAMLNode, what: String) -> Condition {
        var empty = node.isNull
        if case .mapping(let pairs) = node.kind { empty = pairs.isEmpty }
        guard !empty else {
            reader.reportLaterCheck("missing-key", at: node.location,
                          de: "\(what): keine Bedingung angegeben (sie träfe auf alle zu; für alle den Schlüssel weglassen)",
                          en: "\(what): no condition given (it would hold for everyone; omit the key to mean everyone)")
            return .always
        }
        return condition(node, what: what)
    }

    /// A `when` condition: attribute → `{op: value}` (all must hold), a scalar as shorthand for `eq`, or `any-of: [...]`.
    func condition(_ node: YAMLNode, what: String) -> Condition {
        var parts: [Condition] = []
        for e in reader.entries(node, what: what) {
            if e.key == "any-of" {
                guard case .sequence(let items) = e.value.kind else {
                    reader.report("wrong-type", at: e.value.location, de: "\(what).any-of: Liste erwartet", en: "\(what).any-of: a list was expected")
                    continue
                }
                if items.isEmpty {
                    // `.any([])` never holds: a permit would release nothing, a forbid forbid nothing, without a word.
                    reader.report("invalid-value", at: e.value.location,
                                  de: "\(what).any-of: leere Liste (keine Alternative kann zutreffen)",
                                  en: "\(what).any-of: empty list (no alternative can hold)")
                    continue
                }
                parts.append(.any(items.map { item in
                    let alternative = condition(item, what: "\(what).any-of")
                    var empty = item.isNull
                    if case .mapping(let pairs) = item.kind { empty = pairs.isEmpty }
                    if alternative.isAlways, empty {
                        // `{}` (or null) as an alternative always holds and makes the whole `any-of` unconditional.
                        reader.report("missing-key", at: item.location,
                                      de: "\(what).any-of: eine Alternative ohne Bedingung (sie träfe immer zu)",
                                      en: "\(what).any-of: an alternative with no condition (it would always hold)")
                    }
                    return alternative
                }))
                continue
            }
            guard let attribute = declarations.attributeByID[e.key] else {
                reader.report("undeclared-attribute", at: e.location,
                              de: "\(what): Bedingung auf nicht deklariertes Personenmerkmal `\(e.key)`",
                              en: "\(what): condition on undeclared subject attribute `\(e.key)`")
                continue
            }
            if case .mapping(let ops) = e.value.kind {
                if ops.isEmpty {
                    // `{age: {}}` would otherwise add no test at all: the rule would hold for everyone.
                    reader.reportLaterCheck("missing-key", at: e.value.location,
                                  de: "\(what).\(e.key): kein Vergleich angegeben (eq, ne, lt, le, gt, ge, in)",
                                  en: "\(what).\(e.key): no comparison given (eq, ne, lt, le, gt, ge, in)")
                    continue
                }
                let first = parts.count
                defer {
                    // After the comparisons below: ones on this attribute that exclude each other would make the
                    // condition never hold, without a word.
                    let tests = Array(parts[first...])
                    if tests.count > 1, Self.excludeEachOther(tests) {
                        let shown = Condition.all(tests).text
                        reader.reportLaterCheck("invalid-value", at: e.value.location,
                                      de: "\(what).\(e.key): die Vergleiche schließen einander aus (\(shown)): die Bedingung kann nie zutreffen",
                                      en: "\(what).\(e.key): the comparisons exclude each other (\(shown)): the condition can never hold")
                    }
                }
                for opEntry in reader.entries(e.value, what: "\(what).\(e.key)") {
                    guard let op = ComparisonOperator(rawValue: opEntry.key) else {
                        reader.report("invalid-operator", at: opEntry.location,
                                      de: "\(what).\(e.key): unbekannter Vergleich `\(opEntry.key)` (erlaubt: eq, ne, lt, le, gt, ge, in)",
                                      en: "\(what).\(e.key): unknown comparison `\(opEntry.key)` (allowed: eq, ne, lt, le, gt, ge, in)")
                        continue
                    }
                    if !op.applies(to: attribute.type) {
                        reader.report("invalid-operator", at: opEntry.location,
                                      de: "\(what).\(e.key): `\(op.rawValue)` passt nicht zum Typ \(attribute.type.rawValue)",
                                      en: "\(what).\(e.key): `\(op.rawValue)` does not apply to type \(attribute.type.rawValue)")
                        continue
                    }
                    let operands: [YAMLNode]
                    if op == .in {
                        guard case .sequence(let items) = opEntry.value.kind else {
                            reader.report("wrong-type", at: opEntry.value.location, de: "\(what).\(e.key).in: Liste erwartet",
                                          en: "\(what).\(e.key).in: a list was expected")
                            continue
                        }
                        if items.isEmpty {
                            // `in: []` never holds: fail loudly instead of a rule that silently never applies.
                            reader.report("invalid-value", at: opEntry.value.location,
                                          de: "\(what).\(e.key).in: leere Liste (kein Wert kann zutreffen)",
                                          en: "\(what).\(e.key).in: empty list (no value can match)")
                            continue
                        }
                        operands = items
                    } else { operands = [opEntry.value] }
                    let values = operands.compactMap { operand in
                        value(operand, for: attribute, what: "\(what).\(e.key).\(op.rawValue)").map {
                            checkMunicipality($0, of: attribute, at: operand, what: "\(what).\(e.key).\(op.rawValue)")
                        }
                    }
                    if values.count == operands.count { parts.append(.test(attribute: e.key, op: op, values: values)) }
                }
            } else if let v = value(e.value, for: attribute, what: "\(what).\(e.key)") {
                parts.append(.test(attribute: e.key, op: .eq, values: [checkMunicipality(v, of: attribute, at: e.value, what: "\(what).\(e.key)")]))
            }
        }
        if parts.isEmpty { return .always }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    /// Whether tests on one attribute, all of which must hold, can never hold together: a range with nothing in it
    /// (`ge: 18, lt: 10`; `gt: 5, lt: 6` for whole numbers and days), or `eq`/`in` values that the other tests all exclude.
    static func excludeEachOther(_ tests: [Condition]) -> Bool {
        func number(_ v: AttributeValue) -> Int? {
            switch v {
            case .int(let x), .day(let x): return x
            default: return nil
            }
        }
        var low = Int.min, high = Int.max
        var candidates: Set<AttributeValue>?
        var excluded = Set<AttributeValue>()
        for case let .test(_, op, values) in tests {
            let bound = values.first.flatMap(number)
            switch op {
            case .eq, .in: candidates = candidates.map { $0.intersection(values) } ?? Set(values)
            case .ne: excluded.formUnion(values)
            case .ge: if let x = bound { low = max(low, x) }
            case .gt: if let x = bound { if x == Int.max { return true }; low = max(low, x + 1) }
            case .le: if let x = bound { high = min(high, x) }
            case .lt: if let x = bound { if x == Int.min { return true }; high = min(high, x - 1) }
            }
        }
        func allowed(_ v: AttributeValue) -> Bool {
            !excluded.contains(v) && (number(v).map { low <= $0 && $0 <= high } ?? true)
        }
        if let candidates { return !candidates.contains(where: allowed) }
        if low > high { return true }
        // A single number left, and it is excluded.
        return low == high && (excluded.contains(.int(low)) || excluded.contains(.day(low)))
    }

    /// `value`, in NFC when it names a municipality; an `unknown-municipality` error when it names none of the bundle's
    /// `municipalities` (a misspelt town in a condition would make the rule silently never, or in `not-in` always, apply).
    func checkMunicipality(_ value: AttributeValue, of attribute: SubjectAttributeDefinition, at node: YAMLNode, what: String) -> AttributeValue {
        guard case .string(let raw) = value, isMunicipality(attribute) else { return value }
        let name = raw.precomposedStringWithCanonicalMapping
        requireListedMunicipality(name, at: node.location, what: what)
        return .string(name)
    }

    /// Reports `unknown-municipality` at `location`, with the names probably meant, when the bundle lists municipalities
    /// and `name` is none of them.
    func requireListedMunicipality(_ name: String, at location: SourceLocation, what: String) {
        guard !declarations.municipalities.names.isEmpty, !declarations.municipalities.admits(name) else { return }
        let meant = declarations.municipalities.suggestions(for: name)
        reader.report("unknown-municipality", at: location,
                      de: "\(what): `\(name)` ist keine der Kommunen unter `municipalities`"
                          + (meant.isEmpty ? "" : " (gemeint ist wohl \(meant.map { "`\($0)`" }.joined(separator: " oder ")))"),
                      en: "\(what): `\(name)` is not one of the municipalities listed under `municipalities`"
                          + (meant.isEmpty ? "" : " (did you mean \(meant.map { "`\($0)`" }.joined(separator: " or ")))"))
    }

    /// The `values` of every field that feeds the `municipality` fact (`subject-attributes.<id>: {from: <field>,
    /// subject: municipality}`, in practice an `enum` field) must be municipalities the bundle lists: a value not
    /// listed is a town the gate refuses to record for a person and no case worker's account names, so conditions
    /// and lists built from it would silently reach no one. Checked only when the bundle lists municipalities.
    func checkMunicipalityFieldValues() {
        let feeding = Set(declarations.attributes.filter { $0.subject == .municipality }.compactMap(\.from))
        for field in declarations.fields where feeding.contains(field.id) {
            let locations = declarations.valueLocations[field.id] ?? []
            for (value, location) in zip(field.values, locations) {
                requireListedMunicipality(value.precomposedStringWithCanonicalMapping, at: location, what: "fields.\(field.id).values")
            }
        }
    }

    /// Whether `attribute` holds a municipality: fed by the recorded `municipality` fact, or from a field that feeds it
    /// (an attribute declared only `from: case.municipality` tests the same names).
    func isMunicipality(_ attribute: SubjectAttributeDefinition) -> Bool {
        if attribute.subject == .municipality { return true }
        guard let from = attribute.from else { return false }
        return declarations.attributes.contains { $0.subject == .municipality && $0.from == from }
    }

    /// An operand of the attribute's type, or a `condition-type` error.
    func value(_ node: YAMLNode, for attribute: SubjectAttributeDefinition, what: String) -> AttributeValue? {
        let parsed: AttributeValue?
        switch (attribute.type, node.kind) {
        case (.int, .scalar(let s, true)): parsed = Int(s).map { .int($0) }
        case (.bool, .scalar(let s, true)): parsed = s == "true" ? .bool(true) : s == "false" ? .bool(false) : nil
        case (.string, .scalar(let s, _)), (.enum, .scalar(let s, _)): parsed = node.isNull ? nil : .string(s)
        case (.date, .scalar(let s, _)): parsed = UTCDay.parse(s).map { .day($0) }
        default: parsed = nil
        }
        if parsed == nil {
            let shown = node.scalar ?? "…"
            reader.report("condition-type", at: node.location,
                          de: "\(what): Wert `\(shown)` passt nicht zum Typ \(attribute.type.rawValue) von `\(attribute.id)`",
                          en: "\(what): value `\(shown)` does not fit type \(attribute.type.rawValue) of `\(attribute.id)`")
        }
        return parsed
    }

    /// Whether `citation` is a placeholder rather than a norm: no letter or digit at all (`-`, `?`, `…`), or a word
    /// that marks work still to do (`TODO`, `TBD`, `FIXME`, `XXX`, `n/a`, `tbc`, `offen`, `folgt`).
    static func isPlaceholder(_ citation: String) -> Bool {
        if !citation.unicodeScalars.contains(where: { CharacterSet.alphanumerics.contains($0) }) { return true }
        let word = citation.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        return ["todo", "tbd", "tbc", "fixme", "xxx", "n/a", "na", "offen", "folgt", "noch offen", "platzhalter", "placeholder"].contains(word)
    }
}
