#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The run's memory and write-ahead-log tuning: the WAL catch-up threshold, the writer's page cache, and freed
/// memory handed back to the system between phases.
extension ExportJob {
    /// WAL frames after which the background checkpoints catch up on the writer so that the WAL restarts
    /// (`BackgroundCheckpoints`; 4,096 frames are 64 MiB with the database's 16 KiB pages).
    static let walCatchUpFrames = ProcessInfo.processInfo.environment["CONSENTGATE_EXPORT_WAL_FRAMES"].flatMap { Int($0) } ?? 4096
    /// KiB of page cache for the writer connection during a run (`CONSENTGATE_EXPORT_CACHE_KIB`; 0: SQLite's default).
    static let writerCacheKiB = ProcessInfo.processInfo.environment["CONSENTGATE_EXPORT_CACHE_KIB"].flatMap { Int($0) } ?? 0

    /// Hands memory that the phase just ended freed back to the system. glibc keeps freed blocks in its
    /// per-thread heaps, and the phases allocate on different threads (pass 1's case-id table, the audit
    /// batches built on one thread and freed on another), so without this the process's resident memory
    /// ratchets up phase by phase on long lists. Cheap: once per phase.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        if let trim = mallocTrim { _ = trim(0) }
        #endif
    }

    #if canImport(Glibc)
    /// glibc's `malloc_trim` (declared in `malloc.h`, which Swift's Glibc module does not export), looked up once;
    /// nil with another C library.
    static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(nil, "malloc_trim").map {
        unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self)
    }
    #endif
}
