import ChildProcess
import Foundation
import Testing

/// `cat liste.csv | consentgate export --input /dev/stdin …`: the job reads the list twice; pass 1 read the pipe to its
/// end and pass 2 found nothing, so the run stopped with "/dev/stdin: the file is empty (no header line)", a false
/// cause. A list that is not a regular file is refused as such before anything is read.
@Suite struct ExportPipedInputCLITests {
    typealias Setup = ExportOpsReviewCLITests.Setup

    @Test("a list fed through a pipe: exit 3, 'not a regular file', in German and English",
          arguments: [("de", "keine gewöhnliche Datei"), ("en", "not a regular file")])
    func pipedList(lang: String, words: String) throws {
        let s = try Setup()
        defer { s.remove() }
        func quoted(_ a: String) -> String { "'" + a.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = [try CLIRunner.executableURL.path, "export", "--demo", "--db", s.path("db.sqlite"),
                       "--policy", ExportOpsReviewCLITests.policy,
                       "--trust", CLIRunner.packageRoot.appendingPathComponent("keys/trust.yaml").path,
                       "--input", "/dev/stdin", "--drive", s.path("drive"), "--quarantine-dir", s.path("reports"), "--lang", lang]
        // A real pipe, as the shell makes one for `cat … | consentgate …`.
        let r = try Spawn.run("/bin/sh", ["-c", "cat " + quoted(ExportCLITests.Installation.sample) + " | " + command.map(quoted).joined(separator: " ")],
                              workingDirectory: s.dir.path, timeout: 120)
        #expect(r.status == 3 && r.stderrText.contains(words) && !r.stderrText.contains("empty"), "\(r.stderrText)")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: s.path("drive"))) ?? []
        #expect(folders.filter { !$0.hasPrefix(".") }.isEmpty)
    }
}
