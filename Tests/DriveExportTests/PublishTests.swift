import ChildProcess
import Diagnostics
import Foundation
import Signing
import Testing
@testable import DriveExport

@Suite("Atomic publishing of partner run folders")
struct PublishTests {
    /// The benchmark executable built next to the test bundle (it has the hidden test modes).
    static var bench: String {
        Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("consentgate-bench").path
    }

    /// Visible entries (what a partner listing the folder sees as runs).
    static func visible(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test("partner folder and run id names: path tricks refused", arguments: [
        "..", "../etc", "/etc", "a/b", ".hidden", "", "Schul amt", "Schulamt\u{0}", "C:\\x", "x.y", String(repeating: "a", count: 101),
    ])
    func pathTricks(name: String) throws {
        let drive = try TestSupport.tempDir("drive")
        defer { try? FileManager.default.removeItem(atPath: drive) }
        let lock = try DriveRunLock(drive: drive)
        #expect(throws: DriveExportError.self) { try PartnerRunStaging(drive: drive, partnerFolder: name, runID: "run-1", lock: lock) }
        #expect(throws: DriveExportError.self) { try PartnerRunStaging(drive: drive, partnerFolder: "Schulamt", runID: name, lock: lock) }
        #expect(Self.visible(drive).isEmpty)
    }

    @Test("good names pass", arguments: ["Schulamt", "Auslaenderbehoerde", "jugend_amt-2", "20261125T130000Z-3f9a"])
    func goodNames(name: String) throws {
        #expect(try SafeName.validate(name, kind: "partner folder") == name)
    }

    @Test("a partner folder that is a symlink is refused; a published run id is never reused")
    func symlinkAndReuse() throws {
        let drive = try TestSupport.tempDir("drive"), elsewhere = try TestSupport.tempDir("elsewhere")
        defer { try? FileManager.default.removeItem(atPath: drive); try? FileManager.default.removeItem(atPath: elsewhere) }
        try FileManager.default.createSymbolicLink(atPath: drive + "/Jugendamt", withDestinationPath: elsewhere)
        let lock = try DriveRunLock(drive: drive)
        let error = #expect(throws: DriveExportError.self) { try PartnerRunStaging(drive: drive, partnerFolder: "Jugendamt", runID: "r", lock: lock) }
        if case .unsafePath? = error {} else { Issue.record("expected unsafePath, got \(String(describing: error))") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)

        let key = try PrivateKey.generate()
        let s = try PartnerRunStaging(drive: drive, partnerFolder: "Schulamt", runID: "r1", lock: lock)
        try s.add(s.csvWriter(header: ["A"]).finish())
        try s.publish(manifest: ManifestTests.manifest(key: key, files: s.files, runID: "r1"), signingKey: key)
        #expect(throws: DriveExportError.runAlreadyPublished(path: drive + "/Schulamt/r1")) {
            try PartnerRunStaging(drive: drive, partnerFolder: "Schulamt", runID: "r1", lock: lock)
        }
    }

    @Test("before publish nothing is visible; an abandoned or crashed staging folder never looks like a run and is cleaned")
    func stagingInvisibleAndCleaned() throws {
        let drive = try TestSupport.tempDir("drive")
        defer { try? FileManager.default.removeItem(atPath: drive) }
        let key = try PrivateKey.generate()
        let lock = try DriveRunLock(drive: drive)
        // A crashed run's leftover, made by hand as a killed process leaves it.
        try FileManager.default.createDirectory(atPath: drive + "/Schulamt/.old-run.partial-deadbeef", withIntermediateDirectories: true)
        try Data("half".utf8).write(to: URL(fileURLWithPath: drive + "/Schulamt/.old-run.partial-deadbeef/registrations.csv"))
        let s = try PartnerRunStaging(drive: drive, partnerFolder: "Schulamt", runID: "run-2", lock: lock)
        let w = try s.csvWriter(header: ["A"])
        try w.write(["x"])
        #expect(Self.visible(drive + "/Schulamt").isEmpty, "the staging folder is hidden while being written")
        try s.add(w.finish())
        #expect(Self.visible(drive + "/Schulamt").isEmpty)
        try s.publish(manifest: ManifestTests.manifest(key: key, files: s.files, runID: "run-2"), signingKey: key)
        #expect(Self.visible(drive + "/Schulamt") == ["run-2"])
        #expect(Self.visible(drive + "/Schulamt/run-2") == ["manifest.json", "manifest.sig", "registrations.csv"])
        let removed = try PartnerRunStaging.removeStaleStaging(drive: drive, lock: lock)
        #expect(removed == [drive + "/Schulamt/.old-run.partial-deadbeef"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: drive + "/Schulamt") == ["run-2"])
        // A staging dropped without publishing removes itself.
        do {
            let d = try PartnerRunStaging(drive: drive, partnerFolder: "Schulamt", runID: "run-3", lock: lock)
            _ = try d.csvWriter(header: ["A"])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: drive + "/Schulamt") == ["run-2"])
    }

    @Test("SIGKILL during a run: no run folder visible, lock free, the next run cleans up and publishes")
    func sigkill() throws {
        let drive = try TestSupport.tempDir("drive")
        defer { try? FileManager.default.removeItem(atPath: drive) }
        #expect(FileManager.default.isExecutableFile(atPath: Self.bench), "build consentgate-bench first (swift build --build-tests)")
        let p = try Spawn.start(Self.bench, ["export", "publish-slowly", drive, "60"], stderr: .inherit)
        let text = p.waitForStandardOutput(timeout: 60) { $0.contains("\n") }
        #expect(text.hasPrefix("STAGING "), "child said: \(text)")
        let staging = String(text.dropFirst("STAGING ".count).prefix { $0 != "\n" })
        #expect(FileManager.default.fileExists(atPath: staging + "/registrations.csv"))
        #expect(throws: DriveExportError.self) { _ = try DriveRunLock(drive: drive) }
        p.kill(SIGKILL)
        #expect(try p.waitForExit().termination == .signalled(SIGKILL))
        #expect(Self.visible(drive + "/Schulamt").isEmpty, "a killed run leaves nothing that looks like a run")
        #expect(FileManager.default.fileExists(atPath: staging), "the staging folder is left behind, hidden")
        let lock = try DriveRunLock(drive: drive)
        #expect(try PartnerRunStaging.removeStaleStaging(drive: drive, lock: lock) == [staging])
        let key = try PrivateKey.generate()
        let s = try PartnerRunStaging(drive: drive, partnerFolder: "Schulamt", runID: "slow-run", lock: lock)
        try s.add(s.csvWriter(header: ["A"]).finish())
        try s.publish(manifest: ManifestTests.manifest(key: key, files: s.files, runID: "slow-run"), signingKey: key)
        #expect(try FileManager.default.contentsOfDirectory(atPath: drive + "/Schulamt") == ["slow-run"])
    }
}

@Suite("Drive run lock")
struct DriveRunLockTests {
    @Test("a second holder is refused at once, naming the holder's pid, in German and English; free again after release")
    func twoHolders() throws {
        let drive = try TestSupport.tempDir("drive")
        defer { try? FileManager.default.removeItem(atPath: drive) }
        let first = try DriveRunLock(drive: drive)
        let error = #expect(throws: DriveExportError.self) { _ = try DriveRunLock(drive: drive) }
        guard case .runInProgress(_, let pid, let host, let since)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(pid == getpid() && host != nil && since.flatMap(RFC3339.parse) != nil)
        #expect(error?.message(in: .en).hasPrefix("another export run is in progress (pid \(getpid())") == true)
        #expect(error?.message(in: .de).hasPrefix("Ein anderer Exportlauf ist gerade aktiv (pid \(getpid())") == true)
        #expect(error?.category.exitCode == 5)
        first.release()
        let again = try DriveRunLock(drive: drive)
        again.release()
    }

    @Test("another process holding the lock: ours stops at once, or waits until it is free")
    func otherProcess() throws {
        let drive = try TestSupport.tempDir("drive")
        defer { try? FileManager.default.removeItem(atPath: drive) }
        let p = try Spawn.start(PublishTests.bench, ["export", "hold-lock", drive, "2"], stderr: .inherit)
        let said = p.waitForStandardOutput(timeout: 60) { $0.contains("\n") }
        #expect(said.hasPrefix("LOCKED"))
        let error = #expect(throws: DriveExportError.self) { _ = try DriveRunLock(drive: drive) }
        if case .runInProgress(_, let pid, _, _)? = error { #expect(pid == p.pid) } else { Issue.record("\(String(describing: error))") }
        let start = Date()
        let waited = try DriveRunLock(drive: drive, timeout: 20)
        #expect(Date().timeIntervalSince(start) > 0.5, "the lock was only free once the other process let go")
        waited.release()
        _ = try p.waitForExit()
    }

    @Test("a lock taken with the util-linux flock(1) tool (an independent implementation) is respected")
    func flockTool() throws {
        let drive = try TestSupport.tempDir("drive")
        defer { try? FileManager.default.removeItem(atPath: drive) }
        let lockFile = drive + "/" + DriveRunLock.fileName
        let p = try Spawn.start("/usr/bin/flock", [lockFile, "-c", "echo held; sleep 1"], stderr: .inherit)
        #expect(p.waitForStandardOutput(timeout: 60) { $0.contains("\n") }.hasPrefix("held"))
        let error = #expect(throws: DriveExportError.self) { _ = try DriveRunLock(drive: drive) }
        #expect(error == .runInProgress(lockFile: lockFile, pid: nil, host: nil, since: nil))
        #expect(error?.message(in: .en).contains("pid unknown") == true)
        let waited = try DriveRunLock(drive: drive, timeout: 20)
        waited.release()
        _ = try p.waitForExit()
    }
}
