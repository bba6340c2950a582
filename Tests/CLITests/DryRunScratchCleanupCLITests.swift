#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

/// A dry run killed with SIGKILL left its scratch folder (`$TMPDIR/consentgate-dry-run-<UUID>`, a scratch database
/// with the list's case ids) behind for good. The next dry run now removes such folders, and only those no live dry
/// run uses (docs/export-job.md, "Dry run"). `TMPDIR` points into the test's folder: the real /tmp is never touched.
@Suite struct DryRunScratchCleanupCLITests {
    static let prefix = "consentgate-dry-run-"

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// A folder as a killed dry run leaves it: its lock file (nobody holds the lock) and a scratch database.
    static func makeStale(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        try Data().write(to: URL(fileURLWithPath: path + "/dry-run.lock"))
        try Data("RSK-2099-000001".utf8).write(to: URL(fileURLWithPath: path + "/db.sqlite"))
    }

    @Test func theNextDryRunRemovesAKilledOnesFolderAndNothingElse() throws {
        let setup = try ExportOpsReviewCLITests.Setup()
        defer { setup.remove() }
        let tmp = setup.path("tmp")
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let stale = tmp + "/" + Self.prefix + UUID().uuidString
        try Self.makeStale(stale)

        // A live dry run's folder: this test process holds its lock, as the running dry run would.
        let live = tmp + "/" + Self.prefix + UUID().uuidString
        try Self.makeStale(live)
        let fd = open(live + "/dry-run.lock", O_RDONLY | O_CLOEXEC)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)

        // Not the exact name pattern; a symbolic link named like a scratch folder, pointing at an abandoned-looking one.
        let otherName = tmp + "/" + Self.prefix + "notes"
        try Self.makeStale(otherName)
        let target = setup.path("target")
        try Self.makeStale(target)
        let link = tmp + "/" + Self.prefix + UUID().uuidString
        #expect(symlink(target, link) == 0)

        // The database does not exist: the dry run itself works in a scratch folder in $TMPDIR, and removes it.
        #expect(!FileManager.default.fileExists(atPath: setup.path("db.sqlite")))
        let r = try setup.export(["--dry-run"], env: ["TMPDIR": tmp])
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stderr.contains("no database at"), "the dry run used a scratch database: \(r.stderr)")

        #expect(!Self.exists(stale), "the killed dry run's folder is removed")
        for path in [live + "/db.sqlite", otherName + "/db.sqlite", link, target + "/db.sqlite", target + "/dry-run.lock"] {
            #expect(Self.exists(path), "\(path) is kept")
        }
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: tmp))
        #expect(left == Set([live, otherName, link].map { ($0 as NSString).lastPathComponent }), "\(left)")

        // Once its holder is gone (the lock released, as when a process is killed), the next dry run removes it too.
        #expect(flock(fd, LOCK_UN) == 0)
        let again = try setup.export(["--dry-run"], env: ["TMPDIR": tmp])
        #expect(again.exitCode == 0, "\(again)")
        #expect(!Self.exists(live))
        #expect(Self.exists(otherName) && Self.exists(link))
    }
}
