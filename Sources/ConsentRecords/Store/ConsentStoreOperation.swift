import Diagnostics

/// What the consent store was doing when its database failed, in German and English: the first half of a
/// `ConsentError.storage` message ("Einwilligungsspeicher: Einwilligung speichern fehlgeschlagen: …").
public enum ConsentStoreOperation: String, Sendable, Equatable {
    /// Storing a granted consent.
    case grant
    /// Storing a withdrawal.
    case withdraw
    /// Reading one consent.
    case show
    /// Listing a person's consents.
    case list
    /// Importing a signed document.
    case `import`

    /// The operation in both languages.
    public var words: LocalizedText {
        switch self {
        case .grant: return LocalizedText(de: "Einwilligung speichern", en: "storing the consent")
        case .withdraw: return LocalizedText(de: "Widerruf speichern", en: "storing the withdrawal")
        case .show: return LocalizedText(de: "Einwilligung lesen", en: "reading the consent")
        case .list: return LocalizedText(de: "Einwilligungen auflisten", en: "listing the consents")
        case .import: return LocalizedText(de: "Dokument übernehmen", en: "importing the document")
        }
    }
}
