import Testing
@testable import DriveExport

/// The export hands freed memory back between phases through glibc's `malloc_trim`, looked up at run time:
/// on this platform (glibc) it must be found, or the job's resident memory ratchets up on long lists again.
@Suite struct FreedMemoryTests {
    @Test func mallocTrimIsFoundAndRuns() {
        #if canImport(Glibc)
        #expect(ExportJob.mallocTrim != nil)
        ExportJob.returnFreedMemory()
        #endif
    }
}
