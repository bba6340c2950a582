import Foundation
import Testing
@testable import Signing

/// `AtomicFile.writeAll` writes documents that are only meaningful together (a consent and its withdrawals) as one:
/// when one cannot be written, none is left, neither under its name nor as a temporary file. Found in a black-box
/// review: on a full disk, `consent export` left the consent and its first withdrawal but not the second, and the folder
/// imported elsewhere showed the second line as still granted.
@Suite struct AtomicFileSetTests {
    func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-set-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(arguments: [false, true])
    func aFileThatCannotBeWrittenLeavesNoneOfTheSet(_ overwrite: Bool) throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The third file's folder does not exist: its temporary file cannot be created, after the first two were written.
        let files: [(bytes: [UInt8], path: String)] = [(Array("consent".utf8), dir + "/consent.jws.json"),
                                                       (Array("w1".utf8), dir + "/withdrawal-1.jws.json"),
                                                       (Array("w2".utf8), dir + "/missing/withdrawal-2.jws.json")]
        #expect(throws: SigningError.self) { try AtomicFile.writeAll(files, mode: 0o640, overwrite: overwrite) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty, "no file, no temporary file")
    }

    @Test func aNameTakenLeavesTheOthersUnnamedAndTheTakenOneAsItWas() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("someone else's".utf8).write(to: URL(fileURLWithPath: dir + "/b"))
        let files: [(bytes: [UInt8], path: String)] = [(Array("a".utf8), dir + "/a"), (Array("b".utf8), dir + "/b"), (Array("c".utf8), dir + "/c")]
        #expect(throws: SigningError.nameTaken(path: dir + "/b")) { try AtomicFile.writeAll(files, overwrite: false) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["b"], "a, named before b was found taken, is removed again")
        #expect(try String(contentsOfFile: dir + "/b", encoding: .utf8) == "someone else's")
    }

    @Test func theWholeSetIsWrittenWithItsMode() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files: [(bytes: [UInt8], path: String)] = (1...3).map { (Array("doc \($0)".utf8), dir + "/d\($0)") }
        try AtomicFile.writeAll(files, mode: 0o640, overwrite: false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["d1", "d2", "d3"])
        for i in 1...3 {
            #expect(try String(contentsOfFile: dir + "/d\(i)", encoding: .utf8) == "doc \(i)")
            let mode = try FileManager.default.attributesOfItem(atPath: dir + "/d\(i)")[.posixPermissions] as? Int
            #expect(mode == 0o640)
        }
    }
}

/// A name that holds a device, a named pipe or a socket is never replaced by a regular file, even when replacing is
/// allowed (`--force`); a black-box review turned `/dev/full` into a file holding a report that way.
@Suite struct AtomicFileSpecialTargetTests {
    @Test func aNamedPipeIsNotReplaced() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-fifo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect {
            try AtomicFile.write(Array("report".utf8), to: fifo, mode: 0o640, overwrite: true)
        } throws: { error in
            guard case let .io(path, reason) = error as? SigningError else { return false }
            return path == fifo && reason.en.contains("is not a regular file") && reason.de.contains("keine gewöhnliche Datei")
        }
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "still the pipe")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["pipe"], "no temporary file left")
    }

    /// A link to a pipe (as `/dev/stdout` is to a device) is refused like the pipe; so is a pipe as the target of
    /// `place`, which `backup` uses for SQLite's copy (review: `backup --out FIFO --force` replaced the pipe).
    @Test func aLinkToAPipeAndPlacingOverAPipeAreRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-link-fifo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/pipe", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/out", withDestinationPath: dir + "/pipe")
        #expect(throws: SigningError.self) { try AtomicFile.write(Array("x".utf8), to: dir + "/out", overwrite: true) }
        try Data("copy".utf8).write(to: URL(fileURLWithPath: dir + "/temp"))
        #expect(throws: SigningError.self) { try AtomicFile.place(dir + "/temp", at: dir + "/pipe", overwrite: true) }
        var info = stat()
        #expect(lstat(dir + "/out", &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "the link stays")
        #expect(lstat(dir + "/pipe", &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the pipe stays")
    }

    @Test func aSymbolicLinkIsReplacedAsBefore() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-link-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/elsewhere")
        try AtomicFile.write(Array("x".utf8), to: dir + "/link", mode: 0o640, overwrite: true)
        #expect(try String(contentsOfFile: dir + "/link", encoding: .utf8) == "x")
    }
}

/// A folder where a file of a set would go is refused before any file is written, also when replacing is allowed: the
/// rename would fail only after earlier files of the set were named (review of this session's export fix: `consent
/// export --force` left the consent without its withdrawal).
@Suite struct AtomicFileFolderTargetTests {
    @Test(arguments: [false, true])
    func aFolderInTheWayLeavesNoneOfTheSet(_ overwrite: Bool) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-folder-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/w.json/inside", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect {
            try AtomicFile.writeAll([(Array("c".utf8), dir + "/c.json"), (Array("w".utf8), dir + "/w.json")], overwrite: overwrite)
        } throws: { error in
            guard case let .io(path, reason) = error as? SigningError else { return false }
            return path == dir + "/w.json" && reason.en.contains("is a folder")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["w.json"], "the consent's file not written")
    }
}
