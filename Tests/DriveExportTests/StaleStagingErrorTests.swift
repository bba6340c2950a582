import Foundation
import Testing
@testable import DriveExport

/// A stale staging folder that cannot be removed stopped the run with "input/output error of the device" (errno 5)
/// whatever the cause, sending the operator after a hardware fault; the message names the real cause now.
@Suite("Stale staging folders: the real cause when one cannot be removed")
struct StaleStagingErrorTests {
    static var chattr: String? {
        ["/usr/bin/chattr", "/bin/chattr"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("an immutable file in a stale staging folder: a permission error, not an I/O error of the device",
          .enabled(if: getuid() == 0 && chattr != nil))
    func immutableFile() throws {
        let drive = try TestSupport.tempDir("stale-staging-error")
        defer { try? FileManager.default.removeItem(atPath: drive) }
        let staging = drive + "/Schulamt/.20261125T100000Z-aaaaaaaa.partial-0102030405ab"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        let file = staging + "/registrations.csv"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let set = try TestSupport.run(Self.chattr!, ["+i", file])
        guard set.status == 0 else { return }   // a filesystem without the attribute: nothing to learn here
        defer { _ = try? TestSupport.run(Self.chattr!, ["-i", file]) }
        let lock = try DriveRunLock(drive: drive)
        let error = #expect(throws: DriveExportError.self) { try PartnerRunStaging.removeStaleStaging(drive: drive, lock: lock) }
        // Foundation reports an unlink's EPERM as "no write permission" (EACCES): either names the cause.
        guard case .io(let path, let operation, let errno)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(path == staging && operation == "remove stale staging folder" && [EPERM, EACCES].contains(errno))
        #expect(error?.message(in: .en).contains("input/output") == false)
        #expect(error?.message(in: .de).contains("Ein-/Ausgabefehler") == false)
    }

    @Test("errors without a known system cause stay an I/O error")
    func unknownCause() {
        struct Other: Error {}
        #expect(PartnerRunStaging.posixErrno(of: Other()) == EIO)
        #expect(PartnerRunStaging.posixErrno(of: CocoaError(.fileWriteNoPermission)) == EACCES)
    }
}
