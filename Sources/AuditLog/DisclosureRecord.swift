import StrictJSON
/// A field actually passed to a partner and the legal basis it was passed on.
public struct DisclosedField: Sendable, Equatable {
    /// `statute` or `consent` (CONTRACTS §3 `basis`).
    public enum Basis: String, Sendable, Equatable, Hashable { case statute, consent }

    /// The field id (never its value).
    public var field: String
    /// Whether the field went by statute or on the person's consent.
    public var basis: Basis
    /// The permitting rule.
    public var rule: String?
    /// The norm the rule cites (e.g. `§ 34 SchulG NRW`), for the subject's report.
    public var citation: String?
    /// The consent clause, for a consent basis.
    public var consent: ConsentReference?

    /// Creates a disclosed field; rule, citation and consent default to none.
    public init(field: String, basis: Basis, rule: String? = nil, citation: String? = nil, consent: ConsentReference? = nil) {
        self.field = field; self.basis = basis; self.rule = rule; self.citation = citation; self.consent = consent
    }

    var json: JSONValue {
        var o: [String: JSONValue] = ["field": .string(field), "basis": .string(basis.rawValue)]
        if let rule { o["rule"] = .string(rule) }
        if let citation { o["citation"] = .string(citation) }
        if let consent { o["consent"] = consent.json }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        field = try r.string("field")
        basis = try Self.basis(r)
        rule = try r.optionalString("rule"); citation = try r.optionalString("citation")
        consent = try r.optionalObject("consent").map(ConsentReference.init(reader:))
    }

    static func basis(_ r: JSONObjectReader) throws -> Basis {
        let b = try r.string("basis")
        guard let basis = Basis(rawValue: b) else {
            throw AuditLogError.malformedEntry(context: r.context, reason: "basis \"\(b)\" is neither statute nor consent")
        }
        return basis
    }
}

/// Fields passed on one and the same legal basis: the basis, rule, citation and consent clause are written
/// once for the whole group (the compact form of a `disclosure` entry, see `DisclosureRecord.Layout`).
public struct DisclosedFieldGroup: Sendable, Equatable, Hashable {
    /// Whether the group's fields went by statute or on the person's consent.
    public var basis: DisclosedField.Basis
    /// The permitting rule.
    public var rule: String?
    /// The norm the rule cites.
    public var citation: String?
    /// The consent and clause, for a consent basis.
    public var consent: ConsentReference?
    /// The field ids passed on this basis, in disclosure order (never empty in entries this module writes).
    public var fields: [String]

    /// Creates a group of `fields` passed on one basis; rule, citation and consent default to none.
    public init(basis: DisclosedField.Basis, rule: String? = nil, citation: String? = nil, consent: ConsentReference? = nil,
                fields: [String]) {
        self.basis = basis; self.rule = rule; self.citation = citation; self.consent = consent; self.fields = fields
    }

    /// Whether `f` has exactly this group's basis, rule, citation and consent.
    func matches(_ f: DisclosedField) -> Bool {
        f.basis == basis && f.rule == rule && f.citation == citation && f.consent == consent
    }

    /// The group's fields, each with the group's basis.
    var disclosedFields: [DisclosedField] {
        fields.map { DisclosedField(field: $0, basis: basis, rule: rule, citation: citation, consent: consent) }
    }

    var json: JSONValue {
        var o: [String: JSONValue] = ["basis": .string(basis.rawValue), "fields": .strings(fields)]
        if let rule { o["rule"] = .string(rule) }
        if let citation { o["citation"] = .string(citation) }
        if let consent { o["consent"] = consent.json }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        basis = try DisclosedField.basis(r)
        rule = try r.optionalString("rule"); citation = try r.optionalString("citation")
        consent = try r.optionalObject("consent").map(ConsentReference.init(reader:))
        fields = try r.strings("fields")
    }

    /// `fields` grouped by (basis, rule, citation, consent): groups in the order of their first field, fields in
    /// their order within a group.
    public static func grouping(_ fields: [DisclosedField]) -> [DisclosedFieldGroup] {
        var groups: [DisclosedFieldGroup] = []
        for f in fields {
            if let i = groups.lastIndex(where: { $0.matches(f) }) {
                groups[i].fields.append(f.field)
            } else {
                groups.append(DisclosedFieldGroup(basis: f.basis, rule: f.rule, citation: f.citation, consent: f.consent,
                                                  fields: [f.field]))
            }
        }
        return groups
    }
}

/// Data actually passed to a partner: by an export run (one entry per record and partner) or with a referral.
///
/// Two stored layouts (docs/audit-log.md, "Entries"): entries are written **grouped** (`released`: one object
/// per legal basis with its fields, so a citation is written once per record rather than once per field);
/// entries written before that list every field with its basis (`fields`) and are read as they are. Either
/// way `fields` gives every field with its exact basis, and an entry read back is written back to the same bytes.
public struct DisclosureRecord: Sendable, Equatable {
    /// How the fields are laid out in the entry.
    public enum Layout: String, Sendable, Equatable {
        /// `released: [{basis, rule?, citation?, consent?, fields: [ids]}]` (written since 2026-11).
        case grouped
        /// `fields: [{field, basis, rule?, citation?, consent?}]` (entries written before; read, never written anew).
        case perField
    }

    /// The partner id the data went to.
    public var partner: String
    /// The purpose id it went for.
    public var purpose: String
    /// The subject's case id.
    public var subject: String
    /// The fields passed, each with its basis. In the grouped layout, ordered group by group.
    public var fields: [DisclosedField]
    /// The export run that carried the data, if an export did.
    public var exportRun: String?
    /// The referral that carried the data, if a case manager passed it with a referral.
    public var referral: String?
    /// The layout the entry is (or was) written in.
    public var layout: Layout

    /// A disclosure in the grouped layout. `fields` are stored ordered group by group (first occurrence), so
    /// the record equals what is read back from its entry.
    public init(partner: String, purpose: String, subject: String, fields: [DisclosedField],
                exportRun: String? = nil, referral: String? = nil) {
        self.init(partner: partner, purpose: purpose, subject: subject, groups: DisclosedFieldGroup.grouping(fields),
                  exportRun: exportRun, referral: referral)
    }

    /// A disclosure in the grouped layout, from its groups.
    public init(partner: String, purpose: String, subject: String, groups: [DisclosedFieldGroup],
                exportRun: String? = nil, referral: String? = nil) {
        self.partner = partner; self.purpose = purpose; self.subject = subject
        self.fields = groups.flatMap(\.disclosedFields)
        self.exportRun = exportRun; self.referral = referral; self.layout = .grouped
    }

    /// A disclosure in the per-field layout of older entries (for tests and tools that rebuild such entries).
    public static func perField(partner: String, purpose: String, subject: String, fields: [DisclosedField],
                                exportRun: String? = nil, referral: String? = nil) -> DisclosureRecord {
        var r = DisclosureRecord(partner: partner, purpose: purpose, subject: subject, fields: [], exportRun: exportRun, referral: referral)
        r.fields = fields
        r.layout = .perField
        return r
    }

    /// The fields grouped by legal basis (what the grouped layout writes).
    public var groups: [DisclosedFieldGroup] { DisclosedFieldGroup.grouping(fields) }

    var json: JSONValue {
        var o: [String: JSONValue] = ["partner": .string(partner), "purpose": .string(purpose), "subject": .string(subject)]
        switch layout {
        case .grouped: o["released"] = .array(groups.map(\.json))
        case .perField: o["fields"] = .array(fields.map(\.json))
        }
        if let exportRun { o["export-run"] = .string(exportRun) }
        if let referral { o["referral"] = .string(referral) }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        partner = try r.string("partner"); purpose = try r.string("purpose"); subject = try r.string("subject")
        switch (r.members["released"], r.members["fields"]) {
        case (_?, nil):
            fields = try r.objects("released", DisclosedFieldGroup.init(reader:)).flatMap(\.disclosedFields)
            layout = .grouped
        case (nil, _?):
            fields = try r.objects("fields", DisclosedField.init(reader:))
            layout = .perField
        case (_?, _?):
            throw AuditLogError.malformedEntry(context: r.context, reason: "a disclosure has either \"released\" or \"fields\", not both")
        case (nil, nil):
            throw AuditLogError.malformedEntry(context: r.context, reason: "member \"released\" must be an array of objects")
        }
        exportRun = try r.optionalString("export-run"); referral = try r.optionalString("referral")
    }
}

extension DisclosedField: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        w.member("basis", basis.rawValue); w.member("citation", citation)
        if let consent { w.key("consent"); consent.write(to: &w) }
        w.member("field", field); w.member("rule", rule)
        w.endObject()
    }
}

extension DisclosedFieldGroup: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        w.member("basis", basis.rawValue); w.member("citation", citation)
        if let consent { w.key("consent"); consent.write(to: &w) }
        w.member("fields", strings: fields); w.member("rule", rule)
        w.endObject()
    }
}

extension DisclosureRecord: CanonicallyWritable {
    func write(to w: inout CanonicalWriter) {
        w.beginObject()
        w.member("export-run", exportRun)
        switch layout {
        case .grouped:
            w.member("partner", partner); w.member("purpose", purpose); w.member("referral", referral)
            w.key("released"); w.beginArray(); for g in groups { g.write(to: &w) }; w.endArray()
        case .perField:
            w.key("fields"); w.beginArray(); for f in fields { f.write(to: &w) }; w.endArray()
            w.member("partner", partner); w.member("purpose", purpose); w.member("referral", referral)
        }
        w.member("subject", subject)
        w.endObject()
    }
}
