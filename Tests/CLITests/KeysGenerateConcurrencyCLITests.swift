import Foundation
import TestFolders
import Testing

/// Several `keys generate` runs at once against one trust file each add their key: the file is read, added to and
/// written under its lock. Found in a key review: each run read the same store, and the last write dropped the others'
/// keys, whose files stayed on disk with no entry naming them, while every run reported success.
@Suite struct KeysGenerateConcurrencyCLITests {
    @Test func concurrentRunsKeepEveryKey() async throws {
        let folder = try TemporaryDirectory("cli-keys-concurrent")
        let trust = folder.path + "/trust.yaml"
        let names = (1...4).map { "export-\($0)" }
        let results = try await withThrowingTaskGroup(of: CLIResult.self) { group in
            for name in names {
                group.addTask {
                    try CLIRunner.run(["keys", "generate", "--demo", "--trust", trust, "--name", name, "--role", "export-signer"])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for r in results { #expect(r.exitCode == 0, "\(r)") }
        let list = try CLIRunner.run(["keys", "list", "--trust", trust, "--demo", "--json"])
        #expect(list.exitCode == 0, "\(list)")
        for name in names { #expect(list.stdout.contains("\"\(name)\""), "\(name) missing: \(list.stdout)") }
        let text = try String(contentsOfFile: trust, encoding: .utf8)
        #expect(text.components(separatedBy: "  - kid:").count - 1 == names.count, "\(text)")
    }
}
