import Diagnostics
import Foundation
import Testing
@testable import Gate

/// The installation lock beside the database (`<database>.lock`) that cannot be opened is reported in the user's
/// language: the German message carried the C library's English text ("cannot open lock file …: Is a directory").
@Suite struct InstallationLockMessageTests {
    @Test func aLockFileThatCannotBeOpenedIsExplainedInGermanAndEnglish() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        // A folder where the lock file belongs: open(2) fails with EISDIR, also for root.
        try FileManager.default.createDirectory(atPath: inst.databasePath + ".lock", withIntermediateDirectories: true)
        do {
            _ = try inst.open()
            Issue.record("the installation opened without its lock")
        } catch let error as StorageError {
            #expect(error == .lockFile(database: inst.databasePath, operation: "open lock file", errno: EISDIR))
            #expect(error.category == .storage)
            let de = error.message(in: .de), en = error.message(in: .en)
            #expect(de == "Datenbank \(inst.databasePath) lässt sich nicht öffnen: Sperrdatei \(inst.databasePath).lock: Öffnen der Sperrdatei: ist ein Ordner, keine Datei (errno \(EISDIR))", "\(de)")
            #expect(!de.contains("Is a directory") && !de.contains("cannot"))
            #expect(en.contains("lock file \(inst.databasePath).lock: open lock file: is a folder, not a file"), "\(en)")
        }
    }
}
