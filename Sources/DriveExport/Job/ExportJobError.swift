import Diagnostics

/// Problems of a whole export run that are not about one row: the input, the drive or the quarantine folder is
/// missing or unusable, or the input changed while the run read it.
public enum ExportJobError: UserFacingError, Equatable {
    /// The registration list does not exist (exit 3).
    case inputMissing(path: String)
    /// The registration list exists but cannot be read: no permission, or a folder (exit 3). `errno` says why.
    case inputUnreadable(path: String, errno: Int32)
    /// The registration list is not a regular file: a pipe (`--input /dev/stdin` fed by `cat`), a socket or a device
    /// (exit 3). The job reads the list twice (and a pipe would block the check before it), so it must be a file.
    case inputNotRegularFile(path: String)
    /// The drive folder does not exist or is not a folder (exit 5: storage; a drive that is not mounted).
    case driveMissing(path: String)
    /// The registration list's bytes differ between the run's two passes (someone saved it meanwhile): nothing
    /// is logged or published, the next run drops what this one staged (exit 3).
    case inputChanged(path: String)
    /// The quarantine report's folder is the drive or inside it (compared as real paths): the report names case ids
    /// and reasons, which no partner may see (exit 3). `defaulted`: the folder is the input's, as no
    /// `--quarantine-dir` was given.
    case quarantineDirectoryOnDrive(path: String, drive: String, defaulted: Bool)
    /// The quarantine report's folder does not exist or is not a folder (exit 3).
    case quarantineDirectoryMissing(path: String)
    /// The quarantine report's folder cannot be written (exit 5). `defaulted`: it is the list's folder because no
    /// `--quarantine-dir` was given (a list on a share the job may only read), and the message says to pass one.
    case quarantineDirectoryNotWritable(path: String, errno: Int32, defaulted: Bool = false)
    /// The run failed (`cause`, whose exit code it keeps) after these partners' disclosures were logged and before
    /// their folders were published: their staging folders stay on the drive and the next run publishes them
    /// (recovery), so the operator learns that nothing is lost and what the next run will do.
    /// `published`: the partners whose folders this run published and logged before it failed (they are complete).
    case deliveryPending(partners: [String], published: [String], cause: LocalizedText, causeCategory: ProblemCategory)
    /// Every folder of the run was published and logged, but marking them delivered in the database failed (`cause`):
    /// the next run's recovery does that, passing nothing a second time. Said so that an operator does not take the
    /// failure for "nothing went out" (found in the full-disk review: only "storage failed (commit export ledger)").
    case ledgerNotCommitted(partners: [String], cause: LocalizedText, causeCategory: ProblemCategory)
    /// The run failed (`cause`, whose exit code it keeps) after it had finished or dropped what killed runs left
    /// (`recovered`, one `<run-id>/<partner>: <outcome>` line each): a recovered folder may have been published in this
    /// run, which the summary would have listed; said so that the operator does not miss a delivery (export review L3).
    case failedAfterRecovery(recovered: [LocalizedText], cause: LocalizedText, causeCategory: ProblemCategory)

    /// `deliveryPending` for `error` (a user-facing error keeps its message and category; another is a storage failure).
    static func deliveryPending(partners: [String], published: [String], cause error: any Error) -> ExportJobError {
        let (cause, category) = Self.cause(error)
        return .deliveryPending(partners: partners, published: published, cause: cause, causeCategory: category)
    }

    /// `ledgerNotCommitted` for `error`, as `deliveryPending(partners:published:cause:)` takes it.
    static func ledgerNotCommitted(partners: [String], cause error: any Error) -> ExportJobError {
        let (cause, category) = Self.cause(error)
        return .ledgerNotCommitted(partners: partners, cause: cause, causeCategory: category)
    }

    /// `failedAfterRecovery` for `error`, as `deliveryPending(partners:published:cause:)` takes it.
    static func failedAfterRecovery(recovered: [RecoveredRun], cause error: any Error) -> ExportJobError {
        let (cause, category) = Self.cause(error)
        return .failedAfterRecovery(recovered: recovered.map { LocalizedText(de: $0.line(in: .de), en: $0.line(in: .en)) },
                                    cause: cause, causeCategory: category)
    }

    /// The message of the error that ended the run, without a closing full stop (the sentences about the run follow),
    /// and its category; an error without words of its own is a storage failure.
    private static func cause(_ error: any Error) -> (LocalizedText, ProblemCategory) {
        func trimmed(_ s: String) -> String { s.hasSuffix(".") ? String(s.dropLast()) : s }
        guard let e = error as? any UserFacingError else {
            return (LocalizedText(de: trimmed("\(error)"), en: trimmed("\(error)")), .storage)
        }
        return (LocalizedText(de: trimmed(e.message(in: .de)), en: trimmed(e.message(in: .en))), e.category)
    }

    public var category: ProblemCategory {
        switch self {
        case .inputMissing, .inputUnreadable, .inputNotRegularFile, .inputChanged, .quarantineDirectoryOnDrive, .quarantineDirectoryMissing: .invalidInput
        case .driveMissing, .quarantineDirectoryNotWritable: .storage
        case let .deliveryPending(_, _, _, category), let .ledgerNotCommitted(_, _, category),
             let .failedAfterRecovery(_, _, category): category
        }
    }

    public func message(in language: Language) -> String {
        switch (self, language) {
        case let (.inputMissing(p), .de): "Registrierungsliste \(p) ist nicht vorhanden"
        case let (.inputMissing(p), .en): "registration list \(p) does not exist"
        case let (.inputNotRegularFile(p), .de):
            "Registrierungsliste \(p) ist keine gewöhnliche Datei (eine Pipe oder ein Gerät); der Export liest die Liste zweimal: bitte zuerst in eine Datei speichern"
        case let (.inputNotRegularFile(p), .en):
            "registration list \(p) is not a regular file (a pipe or a device); the export reads the list twice: save it to a file first"
        case let (.inputUnreadable(p, e), .de): "Registrierungsliste \(p) kann nicht gelesen werden: \(SystemErrorText.describe(errno: e, in: .de))"
        case let (.inputUnreadable(p, e), .en): "cannot read the registration list \(p): \(SystemErrorText.describe(errno: e, in: .en))"
        case let (.driveMissing(p), .de): "Laufwerksordner \(p) fehlt oder ist kein Ordner (nicht eingebunden?)"
        case let (.driveMissing(p), .en): "drive folder \(p) is missing or not a folder (not mounted?)"
        case let (.inputChanged(p), .de):
            "Registrierungsliste \(p) wurde während des Laufs geändert; nichts wurde übermittelt. Bitte erneut starten, wenn die Datei fertig gespeichert ist"
        case let (.inputChanged(p), .en):
            "registration list \(p) changed during the run; nothing was delivered. Run again once the file is saved"
        case let (.quarantineDirectoryOnDrive(p, d, defaulted), .de):
            defaulted
                ? "Der Quarantänebericht käme in den Ordner der Registrierungsliste (\(p)), und der liegt auf dem Partnerlaufwerk \(d); der Bericht nennt Fall-IDs und Gründe und darf nie dorthin. Bitte mit --quarantine-dir einen Ordner außerhalb des Laufwerks angeben"
                : "Der Ordner für den Quarantänebericht \(p) liegt auf dem Partnerlaufwerk \(d); der Bericht nennt Fall-IDs und Gründe und darf nie dorthin. Bitte einen Ordner außerhalb des Laufwerks angeben"
        case let (.quarantineDirectoryOnDrive(p, d, defaulted), .en):
            defaulted
                ? "the quarantine report would go into the registration list's folder (\(p)), which is on the partner drive \(d); the report names case ids and reasons and must never go there. Pass --quarantine-dir with a folder outside the drive"
                : "the quarantine report folder \(p) is on the partner drive \(d); the report names case ids and reasons and must never go there. Choose a folder outside the drive"
        case let (.quarantineDirectoryMissing(p), .de): "Ordner für den Quarantänebericht \(p) fehlt oder ist kein Ordner"
        case let (.quarantineDirectoryMissing(p), .en): "quarantine report folder \(p) is missing or not a folder"
        case let (.quarantineDirectoryNotWritable(p, e, defaulted), .de):
            "In den Ordner für den Quarantänebericht \(p) kann nicht geschrieben werden: \(SystemErrorText.describe(errno: e, in: .de))"
                + (defaulted ? ". Es ist der Ordner der Registrierungsliste (ohne --quarantine-dir); bitte mit --quarantine-dir einen beschreibbaren Ordner außerhalb des Laufwerks angeben" : "")
        case let (.quarantineDirectoryNotWritable(p, e, defaulted), .en):
            "cannot write into the quarantine report folder \(p): \(SystemErrorText.describe(errno: e, in: .en))"
                + (defaulted ? ". It is the registration list's folder (no --quarantine-dir given); pass --quarantine-dir with a writable folder outside the drive" : "")
        case let (.deliveryPending(partners, published, cause, _), .de):
            "\(cause.de). Die Weitergabe an \(partners.joined(separator: ", ")) ist bereits im Prüfprotokoll verzeichnet; der vorbereitete Ordner bleibt (verborgen) auf dem Laufwerk und wird beim nächsten Lauf veröffentlicht, ohne die Daten ein zweites Mal zu übermitteln."
                + (published.isEmpty ? "" : " Vollständig veröffentlicht und protokolliert hat dieser Lauf schon: \(published.joined(separator: ", ")).")
                + " Bitte die Ursache beheben und den Export erneut starten"
        case let (.deliveryPending(partners, published, cause, _), .en):
            "\(cause.en). The disclosure to \(partners.joined(separator: ", ")) is already in the audit log; its prepared folder stays (hidden) on the drive and the next run publishes it, without passing the data a second time."
                + (published.isEmpty ? "" : " This run has already published and logged in full: \(published.joined(separator: ", ")).")
                + " Fix the cause and run the export again"
        case let (.ledgerNotCommitted(partners, cause, _), .de):
            "\(cause.de). Die Ordner dieses Laufs für \(partners.joined(separator: ", ")) sind veröffentlicht und im Prüfprotokoll verzeichnet; nur der Vermerk als übermittelt fehlt in der Datenbank. Den trägt der nächste Lauf nach, ohne Daten ein zweites Mal zu übermitteln. Bitte die Ursache beheben und den Export erneut starten"
        case let (.failedAfterRecovery(recovered, cause, _), .de):
            "\(cause.de). Zuvor hat dieser Lauf abgebrochene Läufe nachgeholt (das gilt, auch wenn er danach scheiterte): \(recovered.map(\.de).joined(separator: "; "))"
        case let (.failedAfterRecovery(recovered, cause, _), .en):
            "\(cause.en). Before that, this run handled interrupted runs (this stands although it failed afterwards): \(recovered.map(\.en).joined(separator: "; "))"
        case let (.ledgerNotCommitted(partners, cause, _), .en):
            "\(cause.en). This run's folders for \(partners.joined(separator: ", ")) are published and in the audit log; only the note that they were delivered is missing from the database. The next run adds it, without passing any data a second time. Fix the cause and run the export again"
        }
    }
}
