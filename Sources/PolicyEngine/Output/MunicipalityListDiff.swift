import Diagnostics

/// What a policy change did to the county's municipalities (`municipalities` of `policy.yaml`): the names listed anew
/// and those no longer listed. A DPO reviewing a bundle must see a removed town: from the new bundle on, no account,
/// consent or registration list row may name it (accounts and people recorded there before stay as they are).
public struct MunicipalityListDiff: Sendable, Equatable {
    /// Names the new bundle lists and the old did not, sorted.
    public var added: [String]
    /// Names the old bundle listed and the new does not, sorted.
    public var removed: [String]
    /// Whether the list went from some names to none (every name is then accepted) or from none to some.
    public var restrictionChanged: Bool

    /// Compares the lists of `old` and `new` (as sets: a new order changes nothing).
    public init(old: PolicyBundle, new: PolicyBundle) {
        let before = old.countyMunicipalities.names, after = new.countyMunicipalities.names
        added = after.subtracting(before).sorted()
        removed = before.subtracting(after).sorted()
        restrictionChanged = before.isEmpty != after.isEmpty
    }

    /// Whether the lists are equal.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty }

    /// The change in words (empty when none), for `policy diff`'s text.
    public func text(in language: Language) -> String {
        guard !isEmpty else { return "" }
        let de = language == .de
        var out = "\n" + (de ? "Kommunen des Kreises (municipalities):\n" : "The county's municipalities (municipalities):\n")
        if !added.isEmpty { out += (de ? "    neu: " : "    added: ") + added.joined(separator: ", ") + "\n" }
        if !removed.isEmpty {
            out += (de ? "    entfallen: " : "    removed: ") + removed.joined(separator: ", ") + "\n"
            out += de ? "    Neue Konten, Einwilligungen und Listenzeilen dieser Kommunen werden abgewiesen; schon erfasste Konten und Personen bleiben.\n"
                      : "    New accounts, consents and list rows naming them are refused; accounts and people recorded there before stay.\n"
        }
        if restrictionChanged {
            out += removed.isEmpty
                ? (de ? "    Bisher war jede Kommune zulässig; jetzt nur noch die aufgeführten.\n" : "    Before, any municipality was accepted; now only those listed.\n")
                : (de ? "    Jetzt ist keine Kommune mehr aufgeführt: jeder Name wird angenommen.\n" : "    Now no municipality is listed: any name is accepted.\n")
        }
        return out
    }

    /// `{"added": [...], "removed": [...]}`.
    public func json() -> OrderedJSON {
        .object([("added", .array(added.map { .string($0) })), ("removed", .array(removed.map { .string($0) }))])
    }
}
