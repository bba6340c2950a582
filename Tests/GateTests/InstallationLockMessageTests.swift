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
            #expect(error == .lockFile(database: inst.databasePath, file: inst.databasePath + ".lock", operation: "open lock file", errno: EISDIR))
            #expect(error.category == .storage)
            let de = error.message(in: .de), en = error.message(in: .en)
            #expect(de == "Datenbank \(inst.databasePath) lässt sich nicht öffnen: Sperrdatei \(inst.databasePath).lock: Öffnen der Sperrdatei: ist ein Ordner, keine Datei (errno \(EISDIR))", "\(de)")
            #expect(!de.contains("Is a directory") && !de.contains("cannot"))
            #expect(en.contains("lock file \(inst.databasePath).lock: open lock file: is a folder, not a file"), "\(en)")
        }
    }

    /// The `.inuse` lock (and a database reached through a symbolic link) is named as it is: the message said
    /// `<database as given>.lock` whichever lock file failed, and wherever it was.
    @Test func theInUseLockIsNamedBesideTheRealDatabase() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        _ = try inst.open()   // the database exists
        let link = inst.dir.appendingPathComponent("link.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: inst.databasePath)
        let real = DatabaseFileName.resolved(inst.databasePath)
        try FileManager.default.removeItem(atPath: real + ".inuse")
        try FileManager.default.createDirectory(atPath: real + ".inuse", withIntermediateDirectories: true)
        var config = inst.configuration()
        config.databasePath = link
        #expect {
            _ = try Gate.open(config, actor: Actor(id: "test"))
        } throws: { error in
            guard let e = error as? StorageError, case let .lockFile(db, file, _, errno) = e else { return false }
            return db == link && file == real + ".inuse" && errno == EISDIR
                && e.message(in: .en).contains("lock file \(real).inuse: open lock file: is a folder, not a file")
        }
    }
}
