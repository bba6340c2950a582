import AuditLog
import Diagnostics
import PolicyEngine

extension ReportLabels {
    /// The names a report shows beside the ids, from `bundle`: partner names, purpose labels, field labels, and the
    /// wording of every consent line of every template version the bundle keeps (current and earlier: a consent is
    /// read against the version it was signed on). A line's English wording falls back to its German one, and a line
    /// without wording keeps its id.
    public init(policy bundle: PolicyBundle) {
        var clauses: [String: LocalizedText] = [:]
        for template in bundle.templateVersions {
            for clause in template.clauses {
                guard let de = clause.text["de"] ?? clause.text["en"] else { continue }
                clauses[Self.clauseKey(template: template.id, version: Int64(template.version), clause: clause.id)]
                    = LocalizedText(de: de, en: clause.text["en"] ?? de)
            }
        }
        self.init(partners: Dictionary(bundle.partners.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
                  purposes: Dictionary(bundle.purposes.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a }),
                  fields: Dictionary(bundle.fields.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a }),
                  clauses: clauses)
    }
}
