#if canImport(Glibc)
import Glibc
#endif

/// Which file a path names and which version of it: device, inode, size and modification time (to the nanosecond), as
/// `stat(2)` gives them. A file saved again, in place or by a rename over it, has another one; the content is not
/// compared. Used to notice cheaply that a file may have changed (an export's list while its first pass runs, the trust
/// store while `serve` runs). `stat(2)` itself: Foundation's file attributes also look up the owner's name, too slow
/// for a signing path.
public struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    /// The identity of the file at `path` now; nil when it cannot be examined.
    public init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev); inode = UInt64(st.st_ino); size = Int64(st.st_size)
        modifiedSeconds = Int(st.st_mtim.tv_sec); modifiedNanoseconds = Int(st.st_mtim.tv_nsec)
    }
}
