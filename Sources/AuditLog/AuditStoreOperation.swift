import Diagnostics

/// What the audit log was doing when its database or a file of it failed, in German and English: the first half of an
/// `AuditLogError.storage` message ("Datenbankzugriff fehlgeschlagen (Einträge anhängen): …").
public enum AuditStoreOperation: Sendable, Equatable {
    /// Appending a batch of entries.
    case append
    /// Inserting the entry at `index` of a batch.
    case appendEntry(Int64)
    /// Reading the log for `audit verify`.
    case verify
    /// Reading entries for a query or report.
    case query
    /// Reading the disclosure statistics.
    case stats
    /// Reading the tree's size.
    case size
    /// Reading a signed checkpoint.
    case checkpoint
    /// Reading leaf hashes for a proof.
    case leafHashes
    /// Reading one entry.
    case entry
    /// Reading the tree's frontier (the right edge of the Merkle tree).
    case frontier
    /// Opening a file of the database (its write-ahead log).
    case open(path: String)
    /// Flushing a file or folder of the database to the disk.
    case sync(path: String)

    /// The operation in both languages.
    public var words: LocalizedText {
        switch self {
        case .append: return LocalizedText(de: "Einträge anhängen", en: "append entries")
        case let .appendEntry(i): return LocalizedText(de: "Eintrag \(i) anhängen", en: "append entry \(i)")
        case .verify: return LocalizedText(de: "prüfen", en: "verify")
        case .query: return LocalizedText(de: "Einträge lesen", en: "read entries")
        case .stats: return LocalizedText(de: "Statistik lesen", en: "read statistics")
        case .size: return LocalizedText(de: "Größe lesen", en: "read size")
        case .checkpoint: return LocalizedText(de: "Checkpoint lesen", en: "read checkpoint")
        case .leafHashes: return LocalizedText(de: "Blatt-Hashes lesen", en: "read leaf hashes")
        case .entry: return LocalizedText(de: "Eintrag lesen", en: "read entry")
        case .frontier: return LocalizedText(de: "Baumrand lesen", en: "read tree frontier")
        case let .open(path): return LocalizedText(de: "\(path) öffnen", en: "open \(path)")
        case let .sync(path): return LocalizedText(de: "\(path) auf den Datenträger schreiben (fsync)", en: "flush \(path) to the disk (fsync)")
        }
    }
}

