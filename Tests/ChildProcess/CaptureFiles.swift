import Foundation
import Glibc

/// A child's private temporary folder: the file its standard input is fed from (`Spawn.Input.bytes`) and the
/// files its captured standard output and error are written to. Files, not pipes: a child writing more than a
/// pipe holds never blocks on a reader, and the reader never waits on a child that does not write.
struct CaptureFiles: Sendable {
    /// The folder (`$TMPDIR/child-process-XXXXXX`, made by `mkdtemp`).
    let directory: String
    /// The command line, for error messages.
    let command: String

    /// The file fed to standard input.
    var input: String { directory + "/stdin" }
    /// The file standard output is captured in.
    var stdout: String { directory + "/stdout" }
    /// The file standard error is captured in.
    var stderr: String { directory + "/stderr" }

    /// Creates the folder.
    init(command: String) throws(SpawnError) {
        self.command = command
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("child-process-XXXXXX").path
        var path = Array(template.utf8CString)
        guard mkdtemp(&path) != nil else {
            throw .fileFailed(command: command, path: template, detail: SpawnError.text(errno))
        }
        directory = String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes the bytes for standard input.
    func writeInput(_ bytes: [UInt8]) throws(SpawnError) {
        do { try Data(bytes).write(to: URL(fileURLWithPath: input)) } catch {
            throw .fileFailed(command: command, path: input, detail: "\(error)")
        }
    }

    /// What the file at `path` holds now; empty when it does not exist (that stream was not captured).
    func read(_ path: String) throws(SpawnError) -> Data {
        guard FileManager.default.fileExists(atPath: path) else { return Data() }
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .fileFailed(command: command, path: path, detail: "\(error)")
        }
    }

    /// Deletes the folder and its files.
    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
