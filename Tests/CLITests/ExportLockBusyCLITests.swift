#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// A second run while another holds the drive's or the database's export lock stopped with exit 5 naming the holder,
/// but not what to do: an unattended run started again (cron) before the last one ended wants `--wait`; and with
/// `--wait` the message did not say that the run had waited.
@Suite struct ExportLockBusyCLITests {
    typealias Setup = ExportOpsReviewCLITests.Setup

    @Test("a held lock: exit 5, the holder, and the --wait hint (or how long the run waited), in German and English")
    func heldLock() throws {
        let s = try Setup()
        defer { s.remove() }
        // The test holds the database's export lock, as a running export would (flock: another process, the CLI, sees it held).
        let lockFile = s.path("db.sqlite") + ".export.lock"
        let fd = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        try #require(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        for (lang, hint, waited) in [("de", "Mit --wait SEKUNDEN wartet ein Lauf", "(1 Sekunde gewartet.)"),
                                     ("en", "With --wait SECONDS a run waits", "(Waited 1 second.)")] {
            let now = try s.export(["--lang", lang])
            #expect(now.exitCode == 5 && now.stderr.contains(lockFile) && now.stderr.contains(hint), "\(now)")
            let later = try s.export(["--lang", lang, "--wait", "1"])
            #expect(later.exitCode == 5 && later.stderr.contains(waited) && !later.stderr.contains(hint), "\(later)")
        }
    }
}
