import Diagnostics

/// Problems of a whole export run that are not about one row: the input or the drive is missing, or the
/// input changed while the run read it.
public enum ExportJobError: UserFacingError, Equatable {
    /// The registration list does not exist or cannot be read (exit 3).
    case inputMissing(path: String)
    /// The drive folder does not exist or is not a folder (exit 5: storage; a drive that is not mounted).
    case driveMissing(path: String)
    /// The registration list's bytes differ between the run's two passes (someone saved it meanwhile): nothing
    /// is logged or published, the next run drops what this one staged (exit 3).
    case inputChanged(path: String)

    public var category: ProblemCategory {
        switch self {
        case .inputMissing, .inputChanged: .invalidInput
        case .driveMissing: .storage
        }
    }

    public func message(in language: Language) -> String {
        switch (self, language) {
        case let (.inputMissing(p), .de): "Registrierungsliste \(p) fehlt oder ist nicht lesbar"
        case let (.inputMissing(p), .en): "registration list \(p) is missing or unreadable"
        case let (.driveMissing(p), .de): "Laufwerksordner \(p) fehlt oder ist kein Ordner (nicht eingebunden?)"
        case let (.driveMissing(p), .en): "drive folder \(p) is missing or not a folder (not mounted?)"
        case let (.inputChanged(p), .de):
            "Registrierungsliste \(p) wurde während des Laufs geändert; nichts wurde übermittelt. Bitte erneut starten, wenn die Datei fertig gespeichert ist"
        case let (.inputChanged(p), .en):
            "registration list \(p) changed during the run; nothing was delivered. Run again once the file is saved"
        }
    }
}
