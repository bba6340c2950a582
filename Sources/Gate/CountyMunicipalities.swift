import Foundation

/// The towns and municipalities of the county, spelled as in its lists: what a case worker's account is bound to
/// and what a registration list may name. An account bound to a misspelt municipality (`siegburg`, `Hennef` for
/// `Hennef (Sieg)`) would see nobody and act for nobody, without any message; so it is refused when created.
public enum CountyMunicipalities {
    /// The 19 towns and municipalities of the Rhein-Sieg-Kreis (the same list as `../shared/tools/gen_registrations.py`).
    public static let rheinSiegKreis: Set<String> = [
        "Alfter", "Bad Honnef", "Bornheim", "Eitorf", "Hennef (Sieg)", "Königswinter", "Lohmar", "Meckenheim",
        "Much", "Neunkirchen-Seelscheid", "Niederkassel", "Rheinbach", "Ruppichteroth", "Sankt Augustin",
        "Siegburg", "Swisttal", "Troisdorf", "Wachtberg", "Windeck",
    ]

    /// The names in `known` a user probably meant by `name`: equal ignoring case and accents, or starting with it
    /// that way (`Hennef` → `Hennef (Sieg)`), sorted.
    public static func suggestions(for name: String, in known: Set<String> = rheinSiegKreis) -> [String] {
        func folded(_ s: String) -> String {
            s.trimmingCharacters(in: .whitespaces).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        }
        let wanted = folded(name)
        guard !wanted.isEmpty else { return [] }
        return known.filter { folded($0) == wanted || folded($0).hasPrefix(wanted) }.sorted()
    }
}
