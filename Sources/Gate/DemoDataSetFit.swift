import Diagnostics
import PolicyEngine

extension DemoDataSet {
    /// The municipality of the demo case worker account (`demo-fallmanagement`): most demo people live there.
    public static let caseWorkerMunicipality = "Siegburg"
    /// The consent template every demo consent is signed on.
    public static let templateID = "kim-beratung"

    /// What `bundle` lacks for the demo data set and accounts, which are made for the shipped bundle: the municipalities
    /// they are filed under (when the bundle lists its municipalities), the template, and the clauses the demo people
    /// signed (in the template's newest version, the one a grant uses). Empty when it fits. `serve --demo` with another
    /// county's bundle says this before it creates anything, instead of refusing the first account's municipality.
    public static func gaps(in bundle: PolicyBundle) -> [LocalizedText] {
        var gaps: [LocalizedText] = []
        let listed = CountyMunicipalities(bundle.municipalities)
        let needed = Set(people.map(\.municipality) + [caseWorkerMunicipality]).sorted()
        let unlisted = needed.filter { !listed.admits($0) }
        if !unlisted.isEmpty {
            let names = unlisted.joined(separator: ", ")
            gaps.append(LocalizedText(de: "in `municipalities` fehlt: \(names)", en: "not listed in `municipalities`: \(names)"))
        }
        guard let template = bundle.templates.filter({ $0.id == templateID }).max(by: { $0.version < $1.version }) else {
            gaps.append(LocalizedText(de: "die Einwilligungsvorlage \(templateID) fehlt", en: "consent template \(templateID) is missing"))
            return gaps
        }
        let clauses = Set(people.flatMap(\.clauses)).sorted().filter { template.clause($0) == nil }
        if !clauses.isEmpty {
            let names = clauses.joined(separator: ", ")
            gaps.append(LocalizedText(de: "der Vorlage \(templateID) v\(template.version) fehlen Klauseln: \(names)",
                                      en: "template \(templateID) v\(template.version) lacks clauses: \(names)"))
        }
        return gaps
    }
}

/// `serve --demo` was started with a policy bundle the demo data set does not fit (exit 2): the demo is made for the
/// shipped bundle. Names the bundle and what it lacks.
public struct DemoDataSetMismatch: UserFacingError, Equatable {
    /// The bundle's id.
    public var bundle: String
    /// What the bundle lacks (`DemoDataSet.gaps(in:)`).
    public var gaps: [LocalizedText]

    /// The error for bundle `bundle` (its id) lacking `gaps`.
    public init(bundle: String, gaps: [LocalizedText]) { self.bundle = bundle; self.gaps = gaps }

    /// Always a usage error (exit 2): `--demo` was combined with a bundle it is not made for.
    public var category: ProblemCategory { .usage }

    /// The bundle, every gap in `language`, and the two ways out (no `--demo`, or the shipped bundle).
    public func message(in language: Language) -> String {
        let list = gaps.map { $0[language] }.joined(separator: "; ")
        return language == .de
            ? "Die Demodaten passen nur zum mitgelieferten Richtlinienpaket; in \(bundle): \(list). Ohne --demo starten oder das mitgelieferte Paket (policies/kim-rhein-sieg) verwenden"
            : "the demo data set fits only the shipped policy bundle; in \(bundle): \(list). Start without --demo or use the shipped bundle (policies/kim-rhein-sieg)"
    }
}
