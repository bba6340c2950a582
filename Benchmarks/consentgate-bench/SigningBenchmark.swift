import Foundation
import Signing

/// `consentgate-bench signing [--seconds S] [--repeat R]`: Ed25519 and P-256 signatures per second and
/// SHA-256 throughput through the `Signing` module, measured the way `openssl speed` measures them
/// (Ed25519 and ECDSA over a 20-byte message, one thread, operations per CPU-second; SHA-256 over 16 KiB
/// blocks). Prints one
/// `name value` line per figure (the median of R runs of S seconds each) for `Benchmarks/signing.sh`,
/// which sets them against `openssl speed` run in the same script.
enum SigningBenchmark {
    static func run(arguments: [String]) async throws {
        var seconds = 2.0, repeats = 5
        var i = 0
        while i < arguments.count {
            switch arguments[i] {
            case "--seconds": seconds = Double(arguments[i + 1]) ?? seconds; i += 2
            case "--repeat": repeats = Int(arguments[i + 1]) ?? repeats; i += 2
            default:
                print("usage: consentgate-bench signing [--seconds S] [--repeat R]")
                exit(2)
            }
        }
        let message = Array(repeating: UInt8(0x5a), count: 20)
        let block = try SecureRandom.bytes(16384)
        var sink: UInt8 = 0

        for alg in SignatureAlgorithm.allCases {
            let key = try PrivateKey.generate(alg)
            let signature = try key.signature(for: message)
            let pub = key.publicKey
            let name = alg == .ed25519 ? "ed25519" : "p256"
            let sign = try median(repeats) {
                try rate(seconds) { sink &+= try key.signature(for: message)[0] }
            }
            let verify = try median(repeats) {
                try rate(seconds) {
                    guard pub.isValidSignature(signature, for: message) else { fatalError("benchmark signature did not verify") }
                }
            }
            print("\(name)-sign-per-s \(Int(sign))")
            print("\(name)-verify-per-s \(Int(verify))")
        }
        let hashes = try median(repeats) { try rate(seconds) { sink &+= SHA256.hash(block)[0] } }
        print("sha256-16k-MB-per-s \(String(format: "%.1f", hashes * Double(block.count) / 1_000_000))")
        let hasher = SHA256Hasher()
        let streamed = try median(repeats) {
            try rate(seconds) {
                hasher.reset()
                hasher.update(block)
                sink &+= hasher.finalize()[0]
            }
        }
        print("sha256-16k-streaming-MB-per-s \(String(format: "%.1f", streamed * Double(block.count) / 1_000_000))")
        FileHandle.standardError.write(Data("(checksum \(sink))\n".utf8))
    }

    /// Operations per CPU-second of `body`, run for about `seconds` of wall time (the clocks are read every
    /// 32 operations). Like `openssl speed` (which divides by the process's user time unless given
    /// `-elapsed`), this divides by the CPU time of the measuring thread, so a busy shared machine slows both
    /// sides alike instead of only the side that measures wall time.
    static func rate(_ seconds: Double, _ body: () throws -> Void) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = threadCPUSeconds()
        let limit = Duration.nanoseconds(Int64(seconds * 1e9))
        var count = 0
        repeat {
            for _ in 0..<32 { try body() }
            count += 32
        } while clock.now - start < limit
        return Double(count) / (threadCPUSeconds() - cpuStart)
    }

    /// CPU time used by the calling thread, in seconds.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The median of `n` measurements.
    static func median(_ n: Int, _ measure: () throws -> Double) throws -> Double {
        var values: [Double] = []
        for _ in 0..<max(1, n) { values.append(try measure()) }
        values.sort()
        return values.count % 2 == 1 ? values[values.count / 2] : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
    }
}
