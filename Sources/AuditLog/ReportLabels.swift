import Diagnostics

/// Names for ids in reports, from the policy bundle (partners, purposes, fields); ids show where absent.
public struct ReportLabels: Sendable, Equatable {
    /// Partner names by partner id.
    public var partners: [String: LocalizedText]
    /// Purpose names by purpose id.
    public var purposes: [String: LocalizedText]
    /// Field names by field id.
    public var fields: [String: LocalizedText]
    /// The wording of consent lines (clauses) by `clauseKey(template:version:clause:)`: a clause id alone is only
    /// unique within one version of one template.
    public var clauses: [String: LocalizedText]

    /// Labels from the given tables; with none, every id shows as it is.
    public init(partners: [String: LocalizedText] = [:], purposes: [String: LocalizedText] = [:], fields: [String: LocalizedText] = [:],
                clauses: [String: LocalizedText] = [:]) {
        self.partners = partners; self.purposes = purposes; self.fields = fields; self.clauses = clauses
    }

    func partner(d id: String, _ l: Language) -> String { partners[id].map { "\($0[l]) (\(id))" } ?? id }
    func purpose(d id: String, _ l: Language) -> String { purposes[id].map { "\($0[l]) (\(id))" } ?? id }
    func field(d id: String, _ l: Language) -> String { fields[id].map { "\($0[l]) (\(id))" } ?? id }
}

/// Minimal HTML/XML text escaping for the generated pages and charts.
enum HTML {
    static func escape(_ s: String) -> String { HTMLEscaping.escape(s) }
}
