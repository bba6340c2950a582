#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import Foundation
import Signing

/// One partner's run folder in the making, published atomically.
///
/// Files are written into `<drive>/<partner folder>/.<run-id>.partial-<random>/`: hidden, on the same
/// filesystem as the final folder, and named so it never looks like a run. `publish` writes
/// `manifest.json` and `manifest.sig`, fsyncs every file and the staging folder, renames it to
/// `<drive>/<partner folder>/<run-id>/` and fsyncs the partner folder: partners see the complete folder
/// or nothing. A staging folder that is neither published nor discarded (the process was killed) is
/// removed by the next run's `removeStaleStaging`, unless it belongs to a run whose entries were logged (the next run's
/// recovery publishes it first; see `keepForRecovery()`). Creating one requires holding the drive's run lock.
///
/// Not `Sendable`: one staging, one task.
public final class PartnerRunStaging {
    /// The file name of the partner CSV inside a run folder.
    public static let registrationsFileName = "registrations.csv"
    /// The manifest's file name.
    public static let manifestFileName = "manifest.json"
    /// The detached signature's file name.
    public static let signatureFileName = "manifest.sig"

    /// `<drive>/<partner folder>`.
    public let partnerFolderPath: String
    /// The hidden staging folder being written.
    public let stagingPath: String
    /// `<drive>/<partner folder>/<run-id>`, where `publish` puts the folder.
    public let finalPath: String
    /// The run id.
    public let runID: String
    /// The finished files added so far (what the manifest must list).
    public private(set) var files: [WrittenFile] = []
    private var state = State.open
    private enum State { case open, published, discarded, keptForRecovery }

    /// Creates the staging folder for `runID` in `<drive>/<partnerFolder>`, creating the partner folder
    /// if needed. Both names must pass `SafeName`; the partner folder must not be a symlink; the run must
    /// not exist yet. `lock` must be the drive's lock (the parameter proves the caller holds it).
    public init(drive: String, partnerFolder: String, runID: String, lock: borrowing DriveRunLock) throws {
        try SafeName.validate(partnerFolder, kind: "partner folder")
        try SafeName.validate(runID, kind: "run id")
        let drive = drive.hasSuffix("/") && drive.count > 1 ? String(drive.dropLast()) : drive
        guard lock.path == drive + "/" + DriveRunLock.fileName else {
            throw DriveExportError.unsafePath(path: drive, reason: LocalizedText(
                de: "die Laufsperre gehört zu einem anderen Laufwerk (\(lock.path))", en: "the run lock belongs to another drive (\(lock.path))"))
        }
        partnerFolderPath = drive + "/" + partnerFolder
        finalPath = partnerFolderPath + "/" + runID
        self.runID = runID
        try Self.ensureDirectory(partnerFolderPath, parent: drive)
        var st = stat()
        if lstat(finalPath, &st) == 0 { throw DriveExportError.runAlreadyPublished(path: finalPath) }
        let suffix = Hex.encode((try? SecureRandom.bytes(6)) ?? Array(String(getpid()).utf8))
        stagingPath = partnerFolderPath + "/." + runID + ".partial-" + suffix
        guard mkdir(stagingPath, 0o750) == 0 else {
            throw DriveExportError.io(path: stagingPath, operation: "mkdir", errno: errno)
        }
    }

    /// A staging folder that was never published or discarded is removed (a crashed run's leftovers).
    deinit { if state == .open { discard() } }

    /// Opens the partner CSV (`registrations.csv` unless named otherwise) in the staging folder.
    /// Hand the writer back through `add(_:)` after `finish()` so the manifest can be checked against it.
    public func csvWriter(header: [String], name: String = PartnerRunStaging.registrationsFileName) throws -> ExcelCSVWriter {
        try checkOpen()
        try Self.validateFileName(name)
        return try ExcelCSVWriter(path: stagingPath + "/" + name, header: header)
    }

    /// Records a finished file of this staging folder (from `ExcelCSVWriter.finish()`).
    public func add(_ file: WrittenFile) throws {
        try checkOpen()
        var st = stat()
        guard lstat(stagingPath + "/" + file.name, &st) == 0, Int(st.st_size) == file.bytes else {
            throw DriveExportError.manifestMismatch(reason: "\(file.name) is not a finished file of this run")
        }
        files.append(file)
    }

    /// Signs `manifest` with `signingKey`, writes `manifest.json` and `manifest.sig`, and publishes the
    /// folder atomically. The manifest must list exactly the files added, and name the key as signer.
    /// Returns the published folder's path.
    @discardableResult
    public func publish(manifest: ExportManifest, signingKey: PrivateKey) throws -> String {
        try checkOpen()
        guard manifest.runID == runID else { throw DriveExportError.manifestMismatch(reason: "run id \(manifest.runID) ≠ \(runID)") }
        guard Set(manifest.files) == Set(files), manifest.files.count == files.count else {
            throw DriveExportError.manifestMismatch(reason: "manifest lists \(manifest.files.map(\.name)), the run wrote \(files.map(\.name))")
        }
        let bytes = manifest.encoded()
        let signature = try manifest.signature(with: signingKey)
        try FileIO.writeNewFile(stagingPath + "/" + Self.manifestFileName, bytes)
        try FileIO.writeNewFile(stagingPath + "/" + Self.signatureFileName, signature)
        try FileIO.fsyncDirectory(stagingPath)
        var st = stat()
        if lstat(finalPath, &st) == 0 { throw DriveExportError.runAlreadyPublished(path: finalPath) }
        guard rename(stagingPath, finalPath) == 0 else {
            throw DriveExportError.io(path: finalPath, operation: "rename", errno: errno)
        }
        state = .published
        try FileIO.fsyncDirectory(partnerFolderPath)
        return finalPath
    }

    /// Leaves the staging folder on the drive when this object goes away: its run's entries are (being) logged, so
    /// the next run's recovery publishes it from the staged files (`ExportRecovery`). Removing it would turn logged
    /// data into a delivery that never happens and make the next run export and log the records again.
    public func keepForRecovery() {
        guard state == .open else { return }
        state = .keptForRecovery
    }

    /// Removes the staging folder and everything in it; the run is abandoned.
    public func discard() {
        guard state == .open else { return }
        state = .discarded
        try? FileManager.default.removeItem(atPath: stagingPath)
    }

    private func checkOpen() throws {
        guard state == .open else {
            let what = state == .published ? "published" : state == .discarded ? "discarded" : "kept for recovery"
            throw DriveExportError.manifestMismatch(reason: "staging folder \(stagingPath) is already \(what)")
        }
    }

    static func validateFileName(_ name: String) throws {
        let ok = !name.isEmpty && name.utf8.first != 0x2E && name.utf8.count <= 100
            && name.utf8.allSatisfy { CellChecks.isAlnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
            && name != manifestFileName && name != signatureFileName
        guard ok else {
            throw DriveExportError.invalidName(kind: "file", name: name, reason: LocalizedText(
                de: "nur Buchstaben, Ziffern, „-“, „_“, „.“; nicht versteckt, nicht manifest.*",
                en: "only letters, digits, \"-\", \"_\", \".\"; not hidden, not manifest.*"))
        }
    }

    /// Checks, before a run reads its list or writes anything, that each of `folders` on `drive` is a real folder
    /// or absent (it is created when first used): a symbolic link or a file there stops the run with the error
    /// staging would give later.
    public static func checkPartnerFolders(drive: String, folders: [String]) throws {
        let drive = drive.hasSuffix("/") && drive.count > 1 ? String(drive.dropLast()) : drive
        for folder in folders {
            try SafeName.validate(folder, kind: "partner folder")
            let path = drive + "/" + folder
            var st = stat()
            if lstat(path, &st) == 0 {
                guard (st.st_mode & S_IFMT) == S_IFDIR else { throw DriveExportError.unsafePath(path: path, reason: notAFolder) }
            } else if errno != ENOENT {
                throw DriveExportError.io(path: path, operation: "lstat", errno: errno)
            }
        }
    }

    static let notAFolder = LocalizedText(
        de: "ist kein Ordner (ein symbolischer Link oder eine Datei); aus Sicherheitsgründen wird nicht hineingeschrieben",
        en: "is not a folder (a symbolic link or a file); for safety nothing is written into it")

    /// Makes sure `path` is a real directory (creating it, and fsyncing `parent`, when missing).
    static func ensureDirectory(_ path: String, parent: String) throws {
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw DriveExportError.unsafePath(path: path, reason: notAFolder) }
            return
        }
        guard errno == ENOENT else { throw DriveExportError.io(path: path, operation: "lstat", errno: errno) }
        guard mkdir(path, 0o750) == 0 || errno == EEXIST else {
            throw DriveExportError.io(path: path, operation: "mkdir", errno: errno)
        }
        try FileIO.fsyncDirectory(parent)
    }
}
