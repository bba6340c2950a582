import Foundation
import GRDB
import PolicyEngine
import Testing
@testable import Gate

/// The policy archive keeps the bundle's files, not everything beside them: a bundle kept in git (docs/policy.md) had
/// its whole `.git` read into memory and stored on every open, 2 GB of memory and a 540 MB row for a 400 MB pack (input
/// review, finding 2). Hidden folders and files larger than the loader reads are left out; the archived bundle still
/// loads to its digest.
@Suite struct PolicyArchiveFolderTests {
    @Test func hiddenEntriesAndOversizedFilesAreNotArchived() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let bundle = URL(fileURLWithPath: try inst.policyCopy("in-git"))
        let fm = FileManager.default
        let pack = bundle.appendingPathComponent(".git/objects/pack")
        try fm.createDirectory(at: pack, withIntermediateDirectories: true)
        try Data(repeating: 0x61, count: 2_000).write(to: pack.appendingPathComponent("pack-1.pack"))
        try Data("ref: refs/heads/main\n".utf8).write(to: bundle.appendingPathComponent(".git/HEAD"))
        try Data("x".utf8).write(to: bundle.appendingPathComponent(".DS_Store"))
        let notes = bundle.appendingPathComponent("notes")
        try fm.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data(repeating: 0x62, count: YAMLLimits.maxFileBytes + 1).write(to: notes.appendingPathComponent("scan.pdf"))
        try Data("kept".utf8).write(to: notes.appendingPathComponent("readme.txt"))

        let gate = try inst.open(policy: bundle.path)
        let digest = gate.policy.digest
        let blob = try #require(try gate.database.writer.read { db in
            try Data.fetchOne(db, sql: "SELECT files FROM policy_archive WHERE digest = ?", arguments: [digest])
        })
        let names = Set(try JSONDecoder().decode([String: String].self, from: blob).keys)
        #expect(names.contains("policy.yaml") && names.contains("rules.yaml") && names.contains("texts/kim-beratung.de.md"), "\(names.sorted())")
        #expect(names.contains("notes/readme.txt"), "a small file beside the bundle is kept, as before")
        #expect(!names.contains { $0.hasPrefix(".git") }, "\(names.sorted())")
        #expect(names.contains(".DS_Store"), "a hidden file is kept: the loader reads a hidden YAML file beside policy.yaml")
        #expect(!names.contains("notes/scan.pdf"), "larger than any file the loader reads")
        #expect(blob.count < 1_000_000, "\(blob.count) bytes")
        // The archive still gives the bundle: loaded from the row alone, under its digest.
        #expect(try PolicyArchive.load(digest: digest, from: gate.database)?.digest == digest)
    }

    @Test func theSameFolderIsNamedTheSameWayWithoutReadingIt() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let bundle = try inst.policyCopy("named")
        let files = try PolicyArchive.bundleFiles(directory: bundle)
        #expect(files["policy.yaml"] == URL(fileURLWithPath: bundle).resolvingSymlinksInPath().appendingPathComponent("policy.yaml").path)
        let archived = try JSONDecoder().decode([String: String].self, from: try PolicyArchive.archive(files))
        #expect(Set(archived.keys) == Set(files.keys))
        #expect(archived["policy.yaml"].flatMap { Data(base64Encoded: $0) } == FileManager.default.contents(atPath: bundle + "/policy.yaml"))
    }
}
