/// Benchmarks for the Export area (not yet written).
enum ExportBenchmark {
    static func run(arguments: [String]) async throws {
        print("Export: no benchmark yet")
    }
}
