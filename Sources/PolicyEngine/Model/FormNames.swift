/// What a printed declaration calls the bundle's partners, purposes and data categories in one form language
/// (`form-languages.<code>.names`). The bundle names them in German and English only, so a Ukrainian or Arabic
/// declaration listed "Youth Welfare Office" and "Health information" under each tick box: the person could read the
/// frame but not whom the data goes to, which is what they consent to (GDPR Art. 7(2), 13(1)(e)). Given by the county,
/// whose translator knows the offices' usual names; an id without a name here is printed in English, marked as such.
public struct FormNames: Sendable, Equatable {
    /// Partner id → the partner's name in the form's language.
    public var partners: [String: String]
    /// Purpose id → the purpose's name in the form's language.
    public var purposes: [String: String]
    /// Data category id → the category's name in the form's language.
    public var categories: [String: String]

    /// Creates the names (the loader checks that every id is declared in the bundle and every name is written).
    public init(partners: [String: String] = [:], purposes: [String: String] = [:], categories: [String: String] = [:]) {
        self.partners = partners; self.purposes = purposes; self.categories = categories
    }

    /// Whether no name is given.
    public var isEmpty: Bool { partners.isEmpty && purposes.isEmpty && categories.isEmpty }

    /// The keys of `names` in the policy, named as a clause names its ids.
    public enum Section: String, Sendable, CaseIterable {
        case partners, purposes, categories

        /// The table of `names` this section fills.
        public var keyPath: WritableKeyPath<FormNames, [String: String]> {
            switch self {
            case .partners: \.partners
            case .purposes: \.purposes
            case .categories: \.categories
            }
        }
    }

    /// The names of one section.
    public subscript(_ section: Section) -> [String: String] { self[keyPath: section.keyPath] }
}
