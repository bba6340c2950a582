#if canImport(Glibc)
import Glibc
#endif

/// Which file a path names and which version of it: device, inode, size and modification time (to the nanosecond).
/// A list saved again (in place or by a rename over it) has another one; the content itself is compared by pass 2.
struct ListFileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    /// nil when `path` cannot be examined.
    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev); inode = UInt64(st.st_ino); size = Int64(st.st_size)
        modifiedSeconds = st.st_mtim.tv_sec; modifiedNanoseconds = st.st_mtim.tv_nsec
    }
}
