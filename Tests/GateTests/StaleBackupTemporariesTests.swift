import Foundation
import Testing
@testable import Gate

/// A backup killed midway (power loss, `kill -9`, a timeout of the backup job) left its hidden temporary copy, with the
/// whole installation's personal data, in the backup folder, and no later backup removed it ("delete it by hand"). A
/// backup now holds an exclusive `flock(2)` on a lock file beside its temporary copy while it writes, and the next
/// backup into the same folder removes the temporary copies whose lock no live writer holds any more; a live writer's,
/// and hidden files that are not a backup's, stay.
@Suite struct StaleBackupTemporariesTests {
    static func write(_ path: String) throws { try Data("x".utf8).write(to: URL(fileURLWithPath: path)) }

    static func names(_ folder: String) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: folder))
    }

    @Test func theNextBackupRemovesADeadWritersTemporaryCopy() throws {
        let inst = try GateTestInstallation()
        let gate = try inst.open()
        let folder = inst.dir.appendingPathComponent("backups").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // What killed backups left: the copy, SQLite's journal of it and the lock file (no holder any more), also for
        // another name (yesterday's backup file).
        let dead = [".consentgate-2026-12-04.sqlite.tmp-0123456789ab", ".consentgate-2026-12-05.sqlite.tmp-a1b2c3d4e5f6"]
        for name in dead {
            for suffix in ["", "-journal", ".lock"] { try Self.write(folder + "/" + name + suffix) }
        }
        // A backup still being written into the same folder: its lock file is held.
        let live = ".consentgate-other.sqlite.tmp-ffeeddccbbaa"
        try Self.write(folder + "/" + live)
        let liveLock = open(folder + "/" + live + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        #expect(liveLock >= 0)
        defer { close(liveLock) }
        #expect(flock(liveLock, LOCK_EX | LOCK_NB) == 0)
        // Hidden temporary files of other writers (no lock file beside them), and other files.
        let others = [".trust.yaml.tmp-0123456789ab", ".consentgate-2026-12-03.sqlite.tmp-00000000000", "notes.txt"]
        for name in others { try Self.write(folder + "/" + name) }

        let backup = try DatabaseBackup.write(gate.database, to: folder + "/consentgate-2026-12-05.sqlite", overwrite: false)

        #expect(try Self.names(folder) == Set(["consentgate-2026-12-05.sqlite", live, live + ".lock"] + others))
        #expect(backup.auditEntries == (try gate.auditLog.size()))
    }

    /// While a backup writes, its lock file is held (so another backup leaves its copy alone); afterwards neither the
    /// copy's temporary name nor the lock file is left.
    @Test func aBackupHoldsItsLockWhileWritingAndLeavesNothing() throws {
        let inst = try GateTestInstallation()
        let gate = try inst.open()
        let folder = inst.dir.appendingPathComponent("backups").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var heldDuringWrite: Bool? = nil
        let backup = try DatabaseBackup.write(gate.database, to: folder + "/b.sqlite", overwrite: false, whileWriting: { temp in
            let fd = open(temp + ".lock", O_RDONLY | O_CLOEXEC)
            defer { if fd >= 0 { close(fd) } }
            heldDuringWrite = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0
        })
        #expect(heldDuringWrite == true)
        #expect(try Self.names(folder) == ["b.sqlite"])
        #expect(backup.path == folder + "/b.sqlite")
    }
}
