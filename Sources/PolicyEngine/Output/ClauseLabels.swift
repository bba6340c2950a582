import Diagnostics

/// The consent clauses named by `policy explain` (`ReleaseMatrix`) and `policy diff` (`PolicyDiff`) as those that can
/// open a field: of every template version a consent may cite, since a consent on an earlier version kept under
/// `earlier-versions` releases what that version's clauses say.
enum ClauseLabels {
    /// What marks an explicit clause's label (Art. 9(2)(a) GDPR): ` (explicit)`.
    static let explicitMark = " (explicit)"

    /// The clauses that satisfy `matches`, as `template/clause` (` (explicit)` added for an explicit one), in template
    /// and clause order. A clause of an earlier version is named `template vN/clause`, and only when no newer version
    /// of the template has a clause with the same id and explicit mark (which is named already): keeping an old version
    /// unchanged adds nothing, a clause only an earlier version has is shown with its version. A bundle without earlier
    /// versions gives the labels it always gave.
    static func labels(_ bundle: PolicyBundle, where matches: (ConsentTemplate.Clause) -> Bool) -> [String] {
        var out: [String] = []
        for template in bundle.templates {
            var named: Set<String> = []
            for (i, version) in template.allVersions.enumerated() {
                for c in version.clauses where matches(c) {
                    let key = c.id + (c.explicit ? explicitMark : "")
                    guard named.insert(key).inserted else { continue }
                    out.append((i == 0 ? template.id : "\(template.id) v\(version.version)") + "/" + key)
                }
            }
        }
        return out
    }

    /// The clause labels for a reader: ` (explicit)` in German as ` (ausdrücklich)`. CSV and JSON keep the labels as
    /// they are, for tools (`policy diff` compares them).
    static func words(_ labels: [String], _ language: Language) -> String {
        let shown = language == .de ? labels.map { l in
            l.hasSuffix(explicitMark) ? l.dropLast(explicitMark.count) + " (ausdrücklich)" : l
        } : labels
        return shown.joined(separator: ", ")
    }
}
