/// Benchmarks for the Signing area (not yet written).
enum SigningBenchmark {
    static func run(arguments: [String]) async throws {
        print("Signing: no benchmark yet")
    }
}
