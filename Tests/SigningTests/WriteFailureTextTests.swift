import Diagnostics
import Foundation
import Testing
@testable import Signing

/// A file that cannot be written is explained in the reader's language: the German message carried the C library's
/// English text ("Not a directory") before, and the temporary file's name instead of the step that failed.
@Suite struct WriteFailureTextTests {
    @Test func aWriteUnderAFileIsExplainedInBothLanguages() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-write-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let notAFolder = dir.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: notAFolder)
        let target = notAFolder.appendingPathComponent("key.pem").path
        do {
            try AtomicFile.write(Array("secret".utf8), to: target, mode: 0o600)
            Issue.record("writing below a file succeeded")
        } catch let error as SigningError {
            let de = error.message(in: .de), en = error.message(in: .en)
            #expect(de == "\(target): Schreiben fehlgeschlagen: Anlegen: ein Teil des Pfades ist kein Ordner (errno 20)", "\(de)")
            #expect(en == "\(target): write failed: create: a part of the path is not a folder (errno 20)", "\(en)")
            #expect(!de.contains("Not a directory") && !de.contains(".tmp-"))
        }
    }

    /// The writing step is not named twice (the full-disk review: "Schreiben fehlgeschlagen: Schreiben: kein Platz …").
    @Test func aFullDiskWhileWritingNamesTheStepOnce() {
        let error = AtomicFile.failure("/full/key.pem", "write", errno: ENOSPC)
        #expect(error.message(in: .de) == "/full/key.pem: Schreiben fehlgeschlagen: kein Platz mehr auf dem Datenträger (errno 28)")
        #expect(error.message(in: .en) == "/full/key.pem: write failed: no space left on the device (errno 28)")
        #expect(AtomicFile.failure("/full/key.pem", "fsync", errno: EIO).message(in: .en)
                == "/full/key.pem: write failed: flush to disk (fsync): input/output error of the device (errno 5)")
    }

    @Test func anUnknownSystemErrorReadsGermanInGermanWithItsNumber() {
        let text = SystemErrorText.failure("write", errno: ENOTSOCK)   // EXDEV has a text of its own since RestoreKeepFolderElsewhereTests
        #expect(text.de == "Schreiben: Systemfehler (errno \(ENOTSOCK))")
        #expect(text.en.hasPrefix("write: ") && text.en.hasSuffix("(errno \(ENOTSOCK))"))
    }
}

/// A file that must not replace anything, whose name another process takes while it is written: `nameTaken` (a usage
/// error, exit 2, like a name taken before), not a storage failure; the other file stays as it is.
@Suite struct NameTakenWhileWritingTests {
    @Test func aNameTakenMeanwhileIsNameTakenAndTheOtherFileStays() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-taken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("backup.sqlite").path
        let temp = AtomicFile.temporaryName(for: path)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: temp))
        try Data("theirs".utf8).write(to: URL(fileURLWithPath: path))   // taken between the check and the last step
        #expect(throws: SigningError.nameTaken(path: path)) { try AtomicFile.place(temp, at: path, overwrite: false) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "theirs")
        #expect(SigningError.nameTaken(path: path).category.exitCode == 2)
        #expect(SigningError.nameTaken(path: path).message(in: .de).hasPrefix("\(path) gibt es inzwischen"))
    }
}
