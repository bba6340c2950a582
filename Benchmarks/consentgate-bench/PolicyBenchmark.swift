/// Benchmarks for the Policy area (not yet written).
enum PolicyBenchmark {
    static func run(arguments: [String]) async throws {
        print("Policy: no benchmark yet")
    }
}
