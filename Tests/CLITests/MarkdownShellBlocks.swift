import ChildProcess
import Foundation
import TestFolders
import Testing

/// Runs a documentation page as a reader would: its ` ```sh ` blocks, in order and as written, with `/bin/sh -e`, the
/// built `consentgate` first on `PATH`. Shared by the tests that execute a page (docs/going-live.md in
/// `GoingLiveCLITests`, docs/dpo-guide.md in `DPOGuideCLITests`), so that both read blocks and run them alike.
enum MarkdownShellBlocks {

    /// The ` ```sh ` blocks of `markdown`, each as its text and the line of its first command (1-based).
    static func shellBlocks(_ markdown: String) -> [(line: Int, text: String)] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [(Int, String)] = []
        var i = 0
        while i < lines.count {
            if lines[i] == "```sh" {
                var body: [String] = []
                var j = i + 1
                while j < lines.count, lines[j] != "```" { body.append(lines[j]); j += 1 }
                blocks.append((i + 2, body.joined(separator: "\n") + "\n"))
                i = j
            }
            i += 1
        }
        return blocks
    }

    /// The environment of the page's commands: the inherited one, `consentgate` (a link to the built binary in
    /// `bin`) first on `PATH`, `SRC` the checkout, German messages (the default a county gets), no passphrase in the
    /// environment (every command that signs must be given `--passphrase-file`).
    static func environment(bin: String) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CONSENTGATE_PASSPHRASE")
        env.removeValue(forKey: "CONSENTGATE_DB")
        env["CONSENTGATE_LANG"] = "de"
        env["PATH"] = bin + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["SRC"] = CLIRunner.packageRoot.path
        return env
    }

    /// A folder `bin` in `folder` holding `consentgate`, a link to the built binary, for `environment(bin:)`.
    static func binFolder(in folder: TemporaryDirectory) throws -> String {
        let bin = try folder.folder("bin").path
        try FileManager.default.createSymbolicLink(atPath: bin + "/consentgate", withDestinationPath: try CLIRunner.executableURL.path)
        return bin
    }

    /// A command line of the page or a tool, run with `/bin/sh -e` in `folder`.
    static func shell(_ script: String, in folder: String, environment: [String: String], timeout: Double = 300) throws -> CLIResult {
        let r = try Spawn.run("/bin/sh", ["-e", "-c", script], environment: .exactly(environment), workingDirectory: folder,
                              timeout: timeout)
        return CLIResult(exitCode: r.status, stdoutBytes: [UInt8](r.stdout), stderrBytes: [UInt8](r.stderr))
    }
}
