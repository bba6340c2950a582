import Diagnostics

/// The names the export job puts into paths on the shared drive: partner folders (from the policy's
/// `partners.*.folder`) and run ids. Only letters, digits, `-` and `_` (CONTRACTS §3), 1 to 100
/// characters, so `..`, `/`, absolute paths, hidden names and spaces can never reach a path.
public enum SafeName {
    /// Returns `name` if it is safe as a single path component; throws `DriveExportError.invalidName`.
    /// `kind` names what it is in the error ("partner folder", "run id").
    @discardableResult
    public static func validate(_ name: String, kind: String) throws -> String {
        if name.isEmpty {
            throw DriveExportError.invalidName(kind: kind, name: name, reason: LocalizedText(de: "leer", en: "empty"))
        }
        if name.utf8.count > 100 {
            throw DriveExportError.invalidName(kind: kind, name: name, reason: LocalizedText(de: "länger als 100 Zeichen", en: "longer than 100 characters"))
        }
        let ok = name.utf8.allSatisfy { CellChecks.isAlnum($0) || $0 == 0x2D || $0 == 0x5F }
        if !ok {
            throw DriveExportError.invalidName(kind: kind, name: name, reason: LocalizedText(
                de: "nur Buchstaben (A–Z, a–z), Ziffern, „-“ und „_“ erlaubt (keine Pfade, keine Punkte, keine Leerzeichen)",
                en: "only letters (A–Z, a–z), digits, \"-\" and \"_\" are allowed (no paths, dots or spaces)"))
        }
        return name
    }
}
