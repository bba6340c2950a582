import Diagnostics
import DriveExport
import Foundation

/// A job error as the web service tells an exporter (a run's status, the preview; API and pages). The job's own words
/// are for the command line, where the operator runs it on the server: they name absolute paths, and a lock held by
/// another run names its process id, host and lock file. Over the web, paths are relative to the configured folders,
/// as summaries give them, and a lock says only that another run holds it and since when; a problem with the mapping
/// file names the request field `mapping` (found in a black-box review: the status of a run refused by the database's
/// lock read "… mit der Datenbank /srv/…/consentgate.sqlite (pid 1913 auf vm, …; Sperrdatei …)").
enum ExportErrorText {
    /// `error` as a `WebError` with such words (a storage failure of the database keeps its fixed words); an error the job
    /// does not describe to users is returned as it is.
    static func forWeb(_ error: any Error, options: ExportOptions, configuration: WebServiceConfiguration) -> any Error {
        guard let userFacing = error as? any UserFacingError else { return error }
        var web = WebError(userFacing)
        // A storage failure keeps its fixed words, but the drive's and the lock's problems (the job files them under
        // storage too) are told: the folder, the lock, what failed. So is a run that failed after logging began
        // (`ExportJobError`): what is logged and what the next run does (found in the full-disk review: a drive that
        // filled while a folder was published read "the service's database reported an error"). Their full text stays
        // in `logDetail`, for the log.
        guard web.logDetail == nil || error is DriveExportError || error is ExportJobError else { return web }
        let folders = Folders(configuration: configuration)
        switch error as? DriveExportError {
        case let .databaseRunInProgress(_, _, _, _, since)?:
            web.message = LocalizedText(
                de: "Ein anderer Exportlauf arbeitet gerade mit der Datenbank dieses Dienstes\(since.map { " (seit \($0))" } ?? ""); es läuft immer nur ein Export je Datenbank, auch auf verschiedene Laufwerke. Bitte warten, bis er endet, und den Lauf dann erneut starten.",
                en: "another export run is using this service's database\(since.map { " (since \($0))" } ?? ""); only one export runs per database at a time, also to different drives. Please wait until it ends, then start the run again.")
        case let .runInProgress(_, _, _, since)?:
            let drive = folders.relative(options.drive)
            web.message = LocalizedText(
                de: "Ein anderer Exportlauf schreibt gerade in den Ordner „\(drive)“\(since.map { " (seit \($0))" } ?? ""); der Ordner ist gesperrt. Bitte warten, bis er endet, und den Lauf dann erneut starten.",
                en: "another export run is writing to the folder “\(drive)”\(since.map { " (since \($0))" } ?? ""); the folder is locked. Please wait until it ends, then start the run again.")
        default:
            let (de, en) = (userFacing.message(in: .de), userFacing.message(in: .en))
            var aboutMapping = options.mappingFile.map { $0 != options.input && de.contains($0) } ?? false
            if case .invalidMappingFile? = error as? DriveExportError { aboutMapping = true }
            if case .mappingFileUnreadable? = error as? DriveExportError { aboutMapping = true }
            if case .mappingFileRefused? = error as? DriveExportError { aboutMapping = true }
            web.message = LocalizedText(de: (aboutMapping ? "Feld \"mapping\": " : "") + Self.withoutServerPaths(folders.relativeText(de)),
                                        en: (aboutMapping ? "field \"mapping\": " : "") + Self.withoutServerPaths(folders.relativeText(en)))
        }
        return web
    }

    /// `text` with every absolute path left (one outside the configured folders: the database's `-wal`, a key file) cut
    /// to its last component: the cause of a run that failed after logging began is the job's text, and may name such a
    /// file (found in a review of this session's changes).
    static func withoutServerPaths(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let lead = word.prefix { "„“\"'(".contains($0) }
            let rest = word.dropFirst(lead.count)
            guard rest.hasPrefix("/") else { return String(word) }
            let end = rest.firstIndex { ":;,)“”\"'".contains($0) } ?? rest.endIndex
            return String(lead) + URL(fileURLWithPath: String(rest[..<end])).lastPathComponent + rest[end...]
        }.joined(separator: " ")
    }

    /// The configured folders, as given and with symbolic links resolved (the job works on resolved paths).
    struct Folders {
        /// Each folder with a trailing `/`, the longest first.
        let prefixes: [String]

        init(configuration: WebServiceConfiguration) {
            var folders: Set<String> = []
            for base in [configuration.exportInputDirectory, configuration.exportDriveDirectory].compactMap({ $0 }) {
                folders.insert(Self.slashed(base))
                folders.insert(Self.slashed(URL(fileURLWithPath: base).resolvingSymlinksInPath().path))
            }
            prefixes = folders.sorted { $0.count > $1.count }
        }

        /// `path` relative to its folder (`.` for a folder itself), or its last component for a path outside them.
        func relative(_ path: String) -> String {
            for p in prefixes {
                if path + "/" == p { return "." }
                if path.hasPrefix(p) { return String(path.dropFirst(p.count)) }
            }
            return URL(fileURLWithPath: path).lastPathComponent
        }

        /// `text` with every path inside the folders written relative to its folder.
        func relativeText(_ text: String) -> String {
            prefixes.reduce(text) { $0.replacingOccurrences(of: $1, with: "") }
        }

        static func slashed(_ path: String) -> String { path.hasSuffix("/") ? path : path + "/" }
    }
}
