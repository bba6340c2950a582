import Foundation

/// The county's towns and municipalities as its policy bundle lists them (`municipalities` in `policy.yaml`): what a
/// case worker's account is bound to, what a consent records as the person's municipality and what a registration
/// list row may name. A misspelt name (`siegburg`, `Hennef` for `Hennef (Sieg)`, `Trosdorf`) would file a person or
/// an account where no case worker and no DPO filter finds them, without any message; so it is refused, with the
/// names probably meant.
public struct CountyMunicipalities: Sendable, Equatable {
    /// The names (Unicode NFC); empty when the bundle lists none.
    public let names: Set<String>

    /// The municipalities `names` (normalised to NFC).
    public init(_ names: some Sequence<String>) {
        self.names = Set(names.map { $0.precomposedStringWithCanonicalMapping })
    }

    /// Whether `name` may be recorded: one of the listed names, or, when the bundle lists none, any name that is not
    /// blank (the bundle then leaves the spelling to the people typing it).
    public func admits(_ name: String) -> Bool {
        names.isEmpty ? !name.trimmingCharacters(in: .whitespaces).isEmpty : names.contains(name)
    }

    /// The names sorted (for messages and choices).
    public var sorted: [String] { names.sorted() }

    /// The names a user probably meant by `name`: equal ignoring case and accents, starting with it that way
    /// (`Hennef` → `Hennef (Sieg)`), or a typing error away (one edit in a name of up to four letters, two in a longer
    /// one: `Trosdorf` → `Troisdorf`, `Siegbrug` → `Siegburg`), sorted.
    public func suggestions(for name: String) -> [String] {
        func folded(_ s: String) -> String {
            s.trimmingCharacters(in: .whitespaces).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        }
        let wanted = folded(name)
        guard !wanted.isEmpty else { return [] }
        let wantedCharacters = Array(wanted)
        return names.filter { candidate in
            let known = folded(candidate)
            if known == wanted || known.hasPrefix(wanted) { return true }
            let limit = known.count <= 4 ? 1 : 2
            return Self.editDistance(wantedCharacters, Array(known), atMost: limit) <= limit
        }.sorted()
    }

    /// The Levenshtein distance of `a` and `b`, or `limit + 1` once it must exceed `limit`.
    static func editDistance(_ a: [Character], _ b: [Character], atMost limit: Int) -> Int {
        guard abs(a.count - b.count) <= limit else { return limit + 1 }
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension PolicyBundle {
    /// The county's municipalities as this bundle lists them.
    public var countyMunicipalities: CountyMunicipalities { CountyMunicipalities(municipalities) }
}
