import Diagnostics

/// An export profile's column whose field the rules never release to the profile's partner for its purpose: the
/// column goes out empty in every row, and the agency receives a heading ("Gesundheitliche Hinweise") with no data, or
/// the DPO meant a rule that is missing. Not an error (the list still goes out right), a notice `policy check` prints.
/// Found in a review of policy authoring: such a column was accepted without a word.
public struct ExportColumnNotice: Sendable, Equatable {
    /// The export profile.
    public var profile: String
    /// The field of the column.
    public var field: String
    /// The partner and purpose of the profile.
    public var partner: String, purpose: String

    /// The notices of `policy`, in profile and column order.
    public static func all(in policy: CompiledPolicy) -> [ExportColumnNotice] {
        var released: Set<String> = []
        for r in PolicyDiff.releases(of: policy) where r.release.level != .never { released.insert("\(r.partner)\u{0}\(r.purpose)\u{0}\(r.field)") }
        return policy.bundle.exports.flatMap { e in
            e.columns.filter { !released.contains("\(e.partner)\u{0}\(e.purpose)\u{0}\($0)") }
                .map { ExportColumnNotice(profile: e.id, field: $0, partner: e.partner, purpose: e.purpose) }
        }
    }

    /// The notice in `language`.
    public func message(in language: Language) -> String {
        language == .de
            ? "Hinweis: Exportprofil `\(profile)`, Spalte `\(field)`: die Regeln geben dieses Feld an \(partner) für \(purpose) nie frei; die Spalte bleibt in jeder Zeile leer (Spalte entfernen oder die Regel ergänzen)"
            : "note: export profile `\(profile)`, column `\(field)`: the rules never release this field to \(partner) for \(purpose); the column stays empty in every row (remove the column or add the rule)"
    }
}
