/// glibc's `mallopt`, which the Glibc module does not export (it lives in `<malloc.h>`).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// Process-wide malloc tuning for the export job, for the program that runs it (the CLI, the benchmark).
public enum MallocArenas {
    /// glibc's `M_ARENA_MAX`.
    private static let arenaMax: Int32 = -8

    /// Lets glibc use at most `count` malloc arenas. The job's threads (list reader, two deciders, chunk
    /// writer, audit pipeline) would otherwise each get an arena, and memory freed on another thread than the
    /// one that allocated it stays there: with two, the peak stays flat as lists grow. Returns whether glibc
    /// took the setting (always false where glibc is not the C library).
    @discardableResult
    public static func limit(to count: Int32) -> Bool {
        #if os(Linux)
        return glibcMallopt(arenaMax, count) == 1
        #else
        return false
        #endif
    }
}
