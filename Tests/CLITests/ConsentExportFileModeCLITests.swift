import Foundation
import Testing

/// `consent export` wrote the signed documents readable by every user of the machine (0644), although a consent names
/// the person (case id) and, for a minor, the guardians by name. Now 0640, as the export's own files with personal data.
@Suite struct ConsentExportFileModeCLITests {
    @Test func exportedDocumentsAreNotWorldReadable() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant(clauses: "jobcenter")
        let id = try #require(granted["id"] as? String)
        #expect(try inst.run(["consent", "withdraw", id, "--at", "2026-04-01T00:00:00Z"]).exitCode == 0)
        let export = try inst.run(["consent", "export", id, "--out", inst.path("export")])
        #expect(export.exitCode == 0, "\(export)")
        let files = export.stdout.split(separator: "\n").map(String.init)
        #expect(files.count == 2, "\(export)")
        for file in files {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode == 0o640, "\(file): mode \(String(mode, radix: 8))")
        }
    }
}
