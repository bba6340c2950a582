import Diagnostics

/// What `audit verify` found wrong with the stored log, naming the first entry that differs.
public enum TamperFinding: Sendable, Equatable {
    /// The entry's bytes no longer match the leaf hash recorded at append time.
    case entryChanged(index: Int64)
    /// No row for `index`; the next stored row has `nextStored` (rows deleted from the middle).
    case entryMissing(index: Int64, nextStored: Int64)
    /// A signed checkpoint covers `signedSize` entries but only `stored` exist (rows deleted at the end).
    case truncated(signedSize: Int64, stored: Int64)
    /// The first `size` entries no longer hash to checkpoint `size`'s root; the previous checkpoint
    /// (`firstIndex` entries) still matched, so the first difference is at `firstIndex` …`size − 1`.
    case checkpointMismatch(firstIndex: Int64, size: Int64)
    /// Entries `from`…`to` exist but no signed checkpoint covers them.
    case unsigned(from: Int64, to: Int64)
    /// The stored tree frontier disagrees with the entries.
    case frontierMismatch(frontierSize: Int64, stored: Int64)
    /// An append found the stored tree (`frontierSize` entries) to be other than the tree the newest signed checkpoint
    /// (`signedSize` entries) covers: entries or the frontier were written outside ConsentGate, and nothing was appended
    /// (signing a checkpoint over that tree would make it verify).
    case unsignedHead(frontierSize: Int64, signedSize: Int64)
    /// An append found the newest checkpoint (of `size` entries) not verifying under the signing key or an `audit-log` key
    /// of the trust store (`problem`): nothing was appended. Either a key the log was signed with was removed from the
    /// trust store, or the checkpoint was written outside ConsentGate.
    case unverifiableHead(size: Int64?, problem: CheckpointProblem)
    /// A trusted checkpoint covers more entries than the log holds.
    case rolledBack(trustedSize: Int64, stored: Int64)
    /// The log's first `trustedSize` entries differ from the trusted checkpoint.
    case rewritten(trustedSize: Int64)
    /// Entry `index`'s bytes are intact, but the stored `column` that queries and reports select by
    /// (subject, partner, kind, …) no longer says what the entry says.
    case indexColumnChanged(index: Int64, column: String)
    /// The index b-tree `index` (on `column`) no longer lists exactly the stored entries: a row dropped from it,
    /// given another key or put out of order, so queries by that column miss it or return it wrongly.
    case indexTreeChanged(index: String, column: String)
    /// The schema object `object` (a table, index or trigger of the log) was dropped, added or changed in the
    /// file, e.g. an append-only trigger removed.
    case schemaChanged(object: String, change: SchemaChange)

    /// How a schema object differs from the one the log's migrations create.
    public enum SchemaChange: String, Sendable, Equatable {
        case missing, added, changed
    }

    /// The index of the first entry that differs, where it can be named.
    public var firstIndex: Int64? {
        switch self {
        case let .entryChanged(i), let .entryMissing(i, _), let .indexColumnChanged(i, _): return i
        case let .truncated(_, stored): return stored
        case let .checkpointMismatch(first, _): return first
        case let .unsigned(from, _): return from
        case let .rolledBack(_, stored): return stored
        case .frontierMismatch, .unsignedHead, .unverifiableHead, .rewritten, .indexTreeChanged, .schemaChanged: return nil
        }
    }

    /// The finding in German or English.
    public func message(in language: Language) -> String {
        let de = language == .de
        switch self {
        case let .entryChanged(i):
            return de ? "Eintrag \(i) wurde verändert: seine Bytes passen nicht mehr zum beim Anhängen gespeicherten Blatt-Hash"
                      : "entry \(i) was changed: its bytes no longer match the leaf hash recorded when it was appended"
        case let .entryMissing(i, next):
            return de ? "Eintrag \(i) fehlt: der nächste gespeicherte Eintrag hat Index \(next) (Zeilen gelöscht)"
                      : "entry \(i) is missing: the next stored entry has index \(next) (rows deleted)"
        case let .truncated(signed, stored):
            return de ? "Eintrag \(stored) fehlt: der signierte Checkpoint umfasst \(signed) Einträge, gespeichert sind nur \(stored) (Zeilen am Ende gelöscht)"
                      : "entry \(stored) is missing: a signed checkpoint covers \(signed) entries but only \(stored) are stored (rows deleted at the end)"
        case let .checkpointMismatch(first, size):
            let range = size - first == 1 ? "" : (de ? " (erste Abweichung in Einträgen \(first)…\(size - 1))" : " (the first difference lies in entries \(first)…\(size - 1))")
            return de ? "Eintrag \(first) weicht ab: die ersten \(size) Einträge ergeben nicht mehr die Wurzel des signierten Checkpoints \(size) (verändert, ersetzt oder umsortiert)\(range)"
                      : "entry \(first) differs: the first \(size) entries no longer hash to the root of signed checkpoint \(size) (changed, replaced or reordered)\(range)"
        case let .unsigned(from, to):
            return de ? "Einträge \(from)…\(to) sind von keinem signierten Checkpoint gedeckt (außerhalb des Protokolls angehängt)"
                      : "entries \(from)…\(to) are not covered by any signed checkpoint (appended outside the log)"
        case let .frontierMismatch(f, stored):
            return de ? "der gespeicherte Baumrand (Größe \(f)) passt nicht zu den \(stored) gespeicherten Einträgen"
                      : "the stored tree frontier (size \(f)) does not match the \(stored) stored entries"
        case let .rolledBack(t, stored):
            return de ? "zurückgesetzt: der vertrauenswürdige Checkpoint umfasst \(t) Einträge, das Protokoll nur \(stored); Eintrag \(stored) fehlt"
                      : "rolled back: the trusted checkpoint covers \(t) entries but the log holds only \(stored); entry \(stored) is missing"
        case let .indexColumnChanged(i, column):
            return de ? "Eintrag \(i): die gespeicherte Spalte \(column), nach der Abfragen und Berichte auswählen, passt nicht mehr zum Eintrag (verändert; der Eintrag fehlt dadurch in Auskünften und Filtern)"
                      : "entry \(i): the stored column \(column), which queries and reports select by, no longer matches the entry (changed; the entry is thereby missing from reports and filters)"
        case let .indexTreeChanged(index, column):
            return de ? "der Index \(index) listet nicht mehr genau die gespeicherten Einträge (Schlüssel \(column) geändert, Einträge entfernt oder umsortiert): Abfragen und Auskünfte nach \(column) können Einträge übergehen; die Einträge selbst sind unverändert"
                      : "the index \(index) no longer lists exactly the stored entries (\(column) keys changed, entries removed or reordered): queries and reports by \(column) can miss entries; the entries themselves are intact"
        case let .schemaChanged(object, change):
            switch change {
            case .missing: return de ? "das Schemaobjekt \(object) des Protokolls fehlt (gelöscht, z. B. ein Schutz-Trigger gegen Ändern und Löschen)"
                                     : "the log's schema object \(object) is missing (dropped, e.g. a trigger that guards against updates and deletes)"
            case .added: return de ? "das Schemaobjekt \(object) gehört nicht zum Protokoll (hinzugefügt)"
                                   : "the schema object \(object) does not belong to the log (added)"
            case .changed: return de ? "das Schemaobjekt \(object) des Protokolls wurde umdefiniert"
                                     : "the log's schema object \(object) was redefined"
            }
        case let .unsignedHead(f, signed):
            return de ? "der gespeicherte Baum (\(f) Einträge) ist nicht der, den der neueste signierte Checkpoint (\(signed) Einträge) abdeckt: Einträge oder der Baumrand wurden außerhalb von ConsentGate geschrieben. Nichts wurde eingetragen; es wird nichts eingetragen, bis die Ursache geklärt ist (consentgate audit verify)"
                      : "the stored tree (\(f) entries) is not the tree the newest signed checkpoint (\(signed) entries) covers: entries or the tree frontier were written outside ConsentGate. Nothing was appended, and nothing will be until the cause is cleared (consentgate audit verify)"
        case let .unverifiableHead(size, problem):
            let cp = size.map { de ? "der neueste Checkpoint (\($0) Einträge)" : "the newest checkpoint (\($0) entries)" } ?? (de ? "der neueste Checkpoint" : "the newest checkpoint")
            return de ? "\(cp) lässt sich weder mit dem signierenden Schlüssel noch mit einem audit-log-Schlüssel des Trust-Stores prüfen (\(problem.message(in: .de))). Nichts wurde eingetragen. Wurde ein früherer audit-log-Schlüssel aus keys/trust.yaml entfernt, seinen Eintrag wieder aufnehmen (docs/keys.md); sonst wurde das Protokoll außerhalb von ConsentGate verändert (consentgate audit verify)"
                      : "\(cp) verifies neither under the signing key nor under an audit-log key of the trust store (\(problem.message(in: .en))). Nothing was appended. If an earlier audit-log key was removed from keys/trust.yaml, put its entry back (docs/keys.md); otherwise the log was changed outside ConsentGate (consentgate audit verify)"
        case let .rewritten(t):
            return de ? "umgeschrieben: die ersten \(t) Einträge passen nicht mehr zum vertrauenswürdigen Checkpoint"
                      : "rewritten: the first \(t) entries no longer match the trusted checkpoint"
        }
    }
}
