import Diagnostics

/// The declared ids of a bundle (categories, fields, attributes, partners, purposes), parsed first so that rules,
/// templates, exports and tests can be checked against them.
struct Declarations {
    var categories: [DataCategory] = []
    var fields: [FieldDefinition] = []
    var attributes: [SubjectAttributeDefinition] = []
    var partners: [Partner] = []
    var purposes: [Purpose] = []
    var categoryIDs: Set<String> { Set(categories.map(\.id)) }
    var fieldByID: [String: FieldDefinition] = [:]
    var attributeByID: [String: SubjectAttributeDefinition] = [:]
    var partnerIDs: Set<String> = []
    var purposeIDs: Set<String> = []
    var specialCategories: Set<String> = []
    /// The county's municipalities (`municipalities` of `policy.yaml`), against which conditions on the municipality are checked.
    var municipalities = CountyMunicipalities([String]())
    /// Where each field's `values` are written (field id → one location per value, in order), for errors about a value.
    var valueLocations: [String: [SourceLocation]] = [:]
}

/// Parses the declaration sections, reporting duplicates, unknown keys, bad ids and bad folder names.
struct DeclarationParser {
    let reader: NodeReader
    let sections: SectionEntries

    /// Ids: a letter or digit, then letters, digits, `.`, `-`, `_`.
    static func isValidID(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    /// Export folder names: letters, digits, `-` and `_` only (CONTRACTS §3).
    static func isValidFolder(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }

    /// Device names Windows reserves in every folder (`CON`, `NUL`, `COM1`, ...): a partner folder so named cannot be
    /// created on the shared network drive the partners read, whatever the case.
    static func isReservedOnWindows(_ s: String) -> Bool {
        let l = s.lowercased()
        if ["con", "prn", "aux", "nul"].contains(l) { return true }
        if l.count == 4, l.hasPrefix("com") || l.hasPrefix("lpt"), let d = l.last, ("1"..."9").contains(d) { return true }
        return false
    }

    /// Whether a recorded subject fact can feed an attribute of `type`: the birth date a `date` or an `int` (age),
    /// the municipality a `string` or `enum`, the unaccompanied-minor flag a `bool`, the guardian count an `int`.
    static func subjectFact(_ fact: SubjectFact, fits type: ValueType) -> Bool {
        switch fact {
        case .birthDate: type == .date || type == .int
        case .municipality: type == .string || type == .enum
        case .unaccompaniedMinor: type == .bool
        case .guardians: type == .int
        }
    }

    /// Entries with duplicate and malformed ids reported and dropped (the first occurrence wins).
    func unique(_ entries: [SectionEntries.Entry], kind: PolicyIDKind) -> [SectionEntries.Entry] {
        var seen: [String: SourceLocation] = [:]
        var out: [SectionEntries.Entry] = []
        for e in entries {
            if let first = seen[e.key] {
                reader.report("duplicate-id", at: e.location,
                              de: "\(kind.name.de) `\(e.key)` doppelt (zuerst in \(first))",
                              en: "duplicate \(kind.name.en) `\(e.key)` (first at \(first))")
                continue
            }
            if !Self.isValidID(e.key) {
                reader.report("invalid-id", at: e.location,
                              de: "\(kind.name.de) `\(e.key)`: Kennung darf nur a–z, A–Z, Ziffern, `.`, `-`, `_` enthalten (keine Umlaute, kein ß, keine Leerzeichen)",
                              en: "\(kind.name.en) `\(e.key)`: an id may contain only a–z, A–Z, digits, `.`, `-`, `_` (no umlauts, no ß, no spaces)")
            }
            seen[e.key] = e.location
            out.append(e)
        }
        return out.sorted { $0.key < $1.key }
    }

    func parse() -> Declarations {
        var d = Declarations()
        for e in unique(sections.categories, kind: .category) {
            let o = reader.object(e.value, what: "categories.\(e.key)", allowed: ["label", "special"], required: [])
            let label = reader.label(o["label"], what: "categories.\(e.key).label", at: e.location) ?? LocalizedText(de: e.key, en: e.key)
            let special = reader.bool(o["special"], what: "categories.\(e.key).special") ?? false
            d.categories.append(DataCategory(id: e.key, label: label, special: special))
            if special { d.specialCategories.insert(e.key) }
        }
        let categoryIDs = d.categoryIDs
        for e in unique(sections.fields, kind: .field) {
            let what = "fields.\(e.key)"
            let o = reader.object(e.value, what: what, allowed: ["category", "type", "label", "values", "multiline"], required: ["category", "type"])
            let category = reader.string(o["category"], what: "\(what).category") ?? ""
            if let node = o["category"], !category.isEmpty, !categoryIDs.contains(category) {
                reader.unknown(.category, category, at: node.location, known: categoryIDs)
            }
            let type = reader.word(o["type"], what: "\(what).type", as: ValueType.self) ?? .string
            let label = reader.label(o["label"], what: "\(what).label", at: e.location) ?? LocalizedText(de: e.key, en: e.key)
            let listed = reader.strings(o["values"], what: "\(what).values") ?? []
            let values = listed.map(\.0)
            d.valueLocations[e.key] = listed.map(\.1)
            if type == .enum && values.isEmpty {
                reader.report("missing-key", at: e.location, de: "\(what): ein `enum`-Feld braucht `values`", en: "\(what): an `enum` field needs `values`")
            }
            let multiline = reader.bool(o["multiline"], what: "\(what).multiline") ?? false
            if multiline, type != .string, let node = o["multiline"] {
                reader.report("invalid-value", at: node.location,
                              de: "\(what).multiline: nur ein Feld vom Typ `string` kann mehrzeilig sein (dieses ist `\(type.rawValue)`)",
                              en: "\(what).multiline: only a `string` field can span lines (this one is `\(type.rawValue)`)")
            }
            let f = FieldDefinition(id: e.key, category: category, type: type, label: label, values: values,
                                    multiline: multiline && type == .string)
            d.fields.append(f); d.fieldByID[e.key] = f
        }
        for e in unique(sections.attributes, kind: .attribute) {
            let what = "subject-attributes.\(e.key)"
            let o = reader.object(e.value, what: what, allowed: ["type", "from", "subject", "label"], required: ["type"])
            let type = reader.word(o["type"], what: "\(what).type", as: ValueType.self) ?? .string
            let from = reader.string(o["from"], what: "\(what).from")
            if let from, let node = o["from"] {
                if let field = d.fieldByID[from] {
                    let ok = field.type == type || (field.type == .date && type == .int) || (field.type == .enum && type == .string)
                    if !ok {
                        reader.report("condition-type", at: node.location,
                                      de: "\(what): Feld `\(from)` hat Typ \(field.type.rawValue), passt nicht zu \(type.rawValue)",
                                      en: "\(what): field `\(from)` has type \(field.type.rawValue), which does not fit \(type.rawValue)")
                    }
                } else { unknown(.field, from, at: node.location) }
            }
            let subject = reader.word(o["subject"], what: "\(what).subject", as: SubjectFact.self)
            if let subject, let node = o["subject"], !Self.subjectFact(subject, fits: type) {
                // Otherwise every condition on the attribute compares values of different kinds and silently fails.
                reader.report("condition-type", at: node.location,
                              de: "\(what): Personenangabe `\(subject.rawValue)` passt nicht zum Typ \(type.rawValue)",
                              en: "\(what): subject fact `\(subject.rawValue)` does not fit type \(type.rawValue)")
            }
            let label = o["label"].flatMap { reader.label($0, what: "\(what).label", at: e.location) }
            let a = SubjectAttributeDefinition(id: e.key, type: type, from: from, subject: subject, label: label)
            d.attributes.append(a); d.attributeByID[e.key] = a
        }
        var folders: [String: String] = [:]
        for e in unique(sections.partners, kind: .partner) {
            let what = "partners.\(e.key)"
            let o = reader.object(e.value, what: what, allowed: ["name", "folder"], required: ["name", "folder"])
            let name = reader.label(o["name"], what: "\(what).name", at: e.location) ?? LocalizedText(de: e.key, en: e.key)
            let folder = reader.string(o["folder"], what: "\(what).folder") ?? ""
            if let node = o["folder"] {
                if !Self.isValidFolder(folder) {
                    reader.report("bad-folder-name", at: node.location,
                                  de: "\(what).folder: `\(folder)` ist kein zulässiger Ordnername (nur a–z, A–Z, Ziffern, `-`, `_`; keine Umlaute, kein ß)",
                                  en: "\(what).folder: `\(folder)` is not an allowed folder name (a–z, A–Z, digits, `-`, `_` only; no umlauts, no ß)")
                } else if Self.isReservedOnWindows(folder) {
                    reader.report("bad-folder-name", at: node.location,
                                  de: "\(what).folder: `\(folder)` ist unter Windows ein reservierter Gerätename und als Ordner nicht anlegbar",
                                  en: "\(what).folder: `\(folder)` is a reserved device name on Windows and cannot be a folder")
                } else if let other = folders[folder.lowercased()] {
                    reader.report("duplicate-id", at: node.location,
                                  de: "\(what).folder: Ordner `\(folder)` wird schon von Partner `\(other)` benutzt",
                                  en: "\(what).folder: folder `\(folder)` is already used by partner `\(other)`")
                }
                folders[folder.lowercased()] = e.key
            }
            d.partners.append(Partner(id: e.key, name: name, folder: folder)); d.partnerIDs.insert(e.key)
        }
        for e in unique(sections.purposes, kind: .purpose) {
            let o = reader.object(e.value, what: "purposes.\(e.key)", allowed: ["label"], required: [])
            let label = reader.label(o["label"], what: "purposes.\(e.key).label", at: e.location) ?? LocalizedText(de: e.key, en: e.key)
            d.purposes.append(Purpose(id: e.key, label: label)); d.purposeIDs.insert(e.key)
        }
        return d
    }

    func unknown(_ kind: PolicyIDKind, _ id: String, at location: SourceLocation) {
        reader.unknown(kind, id, at: location)
    }
}

extension NodeReader {
    /// Reports a reference to an id that is not declared; with the ids that are (`known`), the ones probably meant
    /// (a typing error away, or equal but for case: `CountyMunicipalities.suggestions`), as municipalities get them
    /// (found in a review of policy authoring: `health.note`, `sprachkurstrager` got no hint).
    func unknown(_ kind: PolicyIDKind, _ id: String, at location: SourceLocation, known: some Collection<String> = [String]()) {
        let near = Array(CountyMunicipalities(Array(known)).suggestions(for: id).prefix(3))
        let de = near.isEmpty ? "" : "; gemeint ist wohl " + near.map { "`\($0)`" }.joined(separator: " oder ")
        let en = near.isEmpty ? "" : "; did you mean " + near.map { "`\($0)`" }.joined(separator: " or ")
        report("unknown-id", at: location, de: "\(kind.name.de) `\(id)` ist unbekannt\(de)", en: "unknown \(kind.name.en) `\(id)`\(en)")
    }
}
