import Foundation

/// Turns the paths of an export request into paths inside the folders the server was configured to
/// allow (`WebServiceConfiguration.exportInputDirectory` / `exportDriveDirectory`). A client names
/// files relative to those folders; `..`, and absolute paths or symbolic links leading elsewhere, are
/// refused with 422 naming the field, so an exporter account cannot read or write anywhere else.
enum ExportPaths {
    /// `value` resolved inside `base`. `allowBase`: the folder itself may be named (`.` or empty: the drive).
    static func resolve(_ value: String, field: String, base: String, allowBase: Bool = false) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty && !allowBase {
            throw WebError(.unprocessableContent, code: "invalid-path", de: "Feld \"\(field)\": Pfad fehlt",
                           en: "field \"\(field)\": path is empty")
        }
        if trimmed.contains("\u{0}") || trimmed.split(separator: "/").contains("..") {
            throw outside(field, value)
        }
        let root = canonical(base)
        let joined = trimmed.hasPrefix("/") ? trimmed : (trimmed.isEmpty ? root : root + "/" + trimmed)
        let resolved = canonical(joined)
        guard resolved == root ? allowBase : resolved.hasPrefix(root == "/" ? "/" : root + "/") else {
            throw outside(field, value)
        }
        return resolved
    }

    /// `path` (absolute, as the export job reports it) relative to the folder `base`: `.` for the folder
    /// itself; a path outside it (which the job never reports) or without a base is shown by its last
    /// component only, so no absolute server path is ever answered.
    static func relative(_ path: String, base: String?) -> String {
        let target = canonical(path)
        if let base {
            let root = canonical(base)
            if target == root { return "." }
            let prefix = root == "/" ? "/" : root + "/"
            if target.hasPrefix(prefix) { return String(target.dropFirst(prefix.count)) }
        }
        return URL(fileURLWithPath: target).lastPathComponent
    }

    /// The absolute, standardised path with symbolic links resolved (as far as the path exists).
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func outside(_ field: String, _ value: String) -> WebError {
        WebError(.unprocessableContent, code: "path-outside-allowed-directory",
                 de: "Feld \"\(field)\": \"\(value)\" liegt nicht im freigegebenen Ordner (relativ angeben, ohne ..)",
                 en: "field \"\(field)\": \"\(value)\" is not inside the allowed folder (give a relative path, without ..)")
    }

    /// 409 when the server was started without the export folders.
    static let notConfigured = WebError(.conflict, code: "export-not-configured",
        de: "Export ist auf diesem Server nicht eingerichtet (Eingabe- und Laufwerksordner fehlen: consentgate serve --export-input-dir DIR --export-drive-dir DIR)",
        en: "export is not configured on this server (input and drive folders missing: consentgate serve --export-input-dir DIR --export-drive-dir DIR)")
}
