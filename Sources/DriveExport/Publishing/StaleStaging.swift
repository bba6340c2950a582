#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Cleaning up after a crashed run.
extension PartnerRunStaging {
    /// Whether a folder name is a staging folder (`.<run-id>.partial-<random>`), never a run.
    public static func isStagingName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(".partial-")
    }

    /// Removes every staging folder left in the partner folders of `drive` by runs that did not finish
    /// (killed, power loss). Safe only while no other run is active, which holding `lock` proves.
    /// Returns the removed paths.
    @discardableResult
    public static func removeStaleStaging(drive: String, lock: borrowing DriveRunLock) throws -> [String] {
        let fm = FileManager.default
        var removed: [String] = []
        let partners = (try? fm.contentsOfDirectory(atPath: drive)) ?? []
        for partner in partners.sorted() where !partner.hasPrefix(".") {
            let dir = drive + "/" + partner
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue,
                  (try? fm.destinationOfSymbolicLink(atPath: dir)) == nil else { continue }
            for entry in ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted() where isStagingName(entry) {
                let path = dir + "/" + entry
                do { try fm.removeItem(atPath: path) } catch {
                    throw DriveExportError.io(path: path, operation: "remove stale staging folder", errno: posixErrno(of: error))
                }
                removed.append(path)
            }
            if !removed.isEmpty { try? FileIO.fsyncDirectory(dir) }
        }
        return removed
    }

    /// The system error behind a `FileManager` error, so the message names the real cause ("permission denied",
    /// "operation not permitted") instead of an input/output error of the device; EIO only when none is known.
    static func posixErrno(of error: any Error) -> Int32 {
        var ns: NSError? = error as NSError
        while let e = ns {
            if e.domain == NSPOSIXErrorDomain { return Int32(e.code) }
            ns = e.userInfo[NSUnderlyingErrorKey] as? NSError
        }
        switch (error as? CocoaError)?.code {
        case .fileWriteNoPermission?, .fileReadNoPermission?: return EACCES
        case .fileWriteVolumeReadOnly?: return EROFS
        case .fileNoSuchFile?, .fileReadNoSuchFile?: return ENOENT
        case .fileWriteOutOfSpace?: return ENOSPC
        default: return EIO
        }
    }
}
