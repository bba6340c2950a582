import ChildProcess
import Foundation
import Testing

/// The registration list on a share the export job may only read, no `--quarantine-dir`: the report's folder defaults to
/// the list's, and the run stopped with "cannot write into the quarantine report folder /mnt/share: permission denied",
/// not saying that this folder was only the default, nor how to choose another.
@Suite struct ExportReadOnlyShareCLITests {
    typealias Setup = ExportOpsReviewCLITests.Setup

    @Test("a list in a folder the run may not write: exit 5, and the message says to pass --quarantine-dir",
          .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func listOnReadOnlyShare() throws {
        let s = try Setup()
        defer { s.remove() }
        let fm = FileManager.default
        let share = s.path("share")
        try fm.createDirectory(atPath: share, withIntermediateDirectories: true)
        let list = share + "/liste.csv"
        try fm.copyItem(atPath: ExportCLITests.Installation.sample, toPath: list)
        // The share and the list belong to root (readable by all); the drive, the database folder and reports to nobody.
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: share)
        try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: list)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: s.dir.path)
        for p in [s.path("drive"), s.path("reports")] {
            try fm.setAttributes([.ownerAccountID: 65534, .groupOwnerAccountID: 65534], ofItemAtPath: p)
        }
        try fm.createDirectory(atPath: s.path("db"), withIntermediateDirectories: true,
                               attributes: [.ownerAccountID: 65534, .groupOwnerAccountID: 65534])
        let base = ["--reuid=65534", "--regid=65534", "--clear-groups", try CLIRunner.executableURL.path]
        let common = ["export", "--demo", "--db", s.path("db/db.sqlite"), "--policy", ExportOpsReviewCLITests.policy,
                      "--trust", CLIRunner.packageRoot.appendingPathComponent("keys/trust.yaml").path, "--input", list,
                      "--drive", s.path("drive")]
        let probe = try Spawn.run("/usr/bin/setpriv", base + ["policy", "check", ExportOpsReviewCLITests.policy],
                                  environment: .exactly(["PATH": "/usr/bin:/bin"]), workingDirectory: s.dir.path, timeout: 120)
        guard probe.status == 0 else { return }   // the checkout is not readable by nobody: nothing to learn here
        for (lang, words) in [("en", "pass --quarantine-dir"), ("de", "bitte mit --quarantine-dir")] {
            let r = try Spawn.run("/usr/bin/setpriv", base + common + ["--lang", lang], environment: .exactly(["PATH": "/usr/bin:/bin"]),
                                  workingDirectory: s.dir.path, timeout: 120)
            #expect(r.status == 5 && r.stderrText.contains(share) && r.stderrText.contains(words), "\(r.stderrText)")
        }
        // With a report folder the run may write, the same list goes out.
        let ok = try Spawn.run("/usr/bin/setpriv", base + common + ["--quarantine-dir", s.path("reports")],
                               environment: .exactly(["PATH": "/usr/bin:/bin"]), workingDirectory: s.dir.path, timeout: 120)
        #expect(ok.status == 0, "\(ok.stderrText)")
    }
}
