/// Benchmarks for the Audit area (not yet written).
enum AuditBenchmark {
    static func run(arguments: [String]) async throws {
        print("Audit: no benchmark yet")
    }
}
