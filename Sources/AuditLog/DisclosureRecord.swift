/// A field actually passed to a partner and the legal basis it was passed on.
public struct DisclosedField: Sendable, Equatable {
    /// `statute` or `consent` (CONTRACTS §3 `basis`).
    public enum Basis: String, Sendable, Equatable { case statute, consent }

    /// The field id (never its value).
    public var field: String
    public var basis: Basis
    /// The permitting rule.
    public var rule: String?
    /// The norm the rule cites (e.g. `§ 34 SchulG NRW`), for the subject's report.
    public var citation: String?
    /// The consent clause, for a consent basis.
    public var consent: ConsentReference?

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
        let b = try r.string("basis")
        guard let basis = Basis(rawValue: b) else {
            throw AuditLogError.malformedEntry(context: r.context, reason: "basis \"\(b)\" is neither statute nor consent")
        }
        self.basis = basis
        rule = try r.optionalString("rule"); citation = try r.optionalString("citation")
        consent = try r.optionalObject("consent").map(ConsentReference.init(reader:))
    }
}

/// Data actually passed to a partner: by an export run (one entry per record and partner) or with a referral.
public struct DisclosureRecord: Sendable, Equatable {
    public var partner: String
    public var purpose: String
    /// The subject's case id.
    public var subject: String
    /// The fields passed, each with its basis.
    public var fields: [DisclosedField]
    /// The export run that carried the data, if an export did.
    public var exportRun: String?
    /// The referral that carried the data, if a case manager passed it with a referral.
    public var referral: String?

    public init(partner: String, purpose: String, subject: String, fields: [DisclosedField],
                exportRun: String? = nil, referral: String? = nil) {
        self.partner = partner; self.purpose = purpose; self.subject = subject; self.fields = fields
        self.exportRun = exportRun; self.referral = referral
    }

    var json: JSONValue {
        var o: [String: JSONValue] = [
            "partner": .string(partner), "purpose": .string(purpose), "subject": .string(subject),
            "fields": .array(fields.map(\.json)),
        ]
        if let exportRun { o["export-run"] = .string(exportRun) }
        if let referral { o["referral"] = .string(referral) }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        partner = try r.string("partner"); purpose = try r.string("purpose"); subject = try r.string("subject")
        fields = try r.objects("fields", DisclosedField.init(reader:))
        exportRun = try r.optionalString("export-run"); referral = try r.optionalString("referral")
    }
}
