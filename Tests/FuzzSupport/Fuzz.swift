import Foundation
import Testing

// Deterministic mutation fuzzing for the parsers that read outside input, shared by every test target that fuzzes
// (a helper target, like TestFolders: tests only, no module under Sources may depend on it).
//
// Every fuzz test runs a few thousand cases by default, with a fixed seed, so a failure replays exactly.
// To run one long (e.g. before a release or after changing a parser):
//
//     CONSENTGATE_FUZZ_ITERATIONS=200000 swift test --skip-build --filter StrictJSONFuzzTests
//
// `CONSENTGATE_FUZZ_SEED=<n>` changes the seed. A trap kills the test process before Swift Testing can
// name the input; with `CONSENTGATE_FUZZ_DUMP=1` each input is written to `/tmp/consentgate-fuzz-<name>.bin`
// before the parser sees it, so after a crash that file holds the input that did it. In a long run, inputs that
// take longer than `Fuzz.slowCall` are recorded as issues (and written next to it as `…-slow.bin`); a call that
// has not returned after `Fuzz.hangCall` is a hang: its input is written as `…-hang.bin` and the process aborts.

/// SplitMix64 (Steele, Lea, Flood 2014): a small seeded generator, so every fuzz case replays from its seed.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The fuzzing loop, its limits and its environment switches (see the top of this file).
public enum Fuzz {
    /// Cases per fuzz test: `CONSENTGATE_FUZZ_ITERATIONS`, else `default`.
    public static func iterations(default value: Int) -> Int {
        ProcessInfo.processInfo.environment["CONSENTGATE_FUZZ_ITERATIONS"].flatMap(Int.init) ?? value
    }

    /// The seed: `CONSENTGATE_FUZZ_SEED`, else `value`.
    public static func seed(default value: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment["CONSENTGATE_FUZZ_SEED"].flatMap { UInt64($0) } ?? value
    }

    /// Whether this is a long run (`CONSENTGATE_FUZZ_ITERATIONS` set): only then are slow calls reported.
    public static let isLongRun = ProcessInfo.processInfo.environment["CONSENTGATE_FUZZ_ITERATIONS"] != nil

    /// Whether each input is written to /tmp before the call (to find the input of a crash).
    public static let dump = ProcessInfo.processInfo.environment["CONSENTGATE_FUZZ_DUMP"] != nil

    /// A call slower than this on a few KB is a hang or super-linear work (debug builds, a busy 2-core machine).
    public static let slowCall: Duration = .seconds(2)

    /// A call that has not returned after this long is taken for a hang.
    public static let hangCall: Duration = .seconds(60)

    /// Watches the call in progress from a thread of its own and aborts the process (after writing the input
    /// to /tmp and saying so) when it runs longer than `hangCall`.
    final class Watchdog: @unchecked Sendable {
        private let lock = NSLock()
        private var current: (name: String, input: [UInt8], started: ContinuousClock.Instant)?
        private var stopped = false

        init() {
            let thread = Thread { [weak self] in
                while let self, self.check() { Thread.sleep(forTimeInterval: 1) }
            }
            thread.start()
        }

        func begin(_ name: String, _ input: [UInt8]) { lock.withLock { current = (name, input, ContinuousClock.now) } }
        func end() { lock.withLock { current = nil } }
        func stop() { lock.withLock { stopped = true } }

        /// False once stopped; aborts on a hang.
        private func check() -> Bool {
            let (running, done) = lock.withLock { (current, stopped) }
            if done { return false }
            if let running, ContinuousClock.now - running.started > Fuzz.hangCall {
                let path = "/tmp/consentgate-fuzz-\(running.name)-hang.bin"
                try? Data(running.input).write(to: URL(fileURLWithPath: path))
                FileHandle.standardError.write(Data("fuzz \(running.name): a call hangs; its input is in \(path)\n".utf8))
                abort()
            }
            return true
        }
    }

    /// Bytes that change a parser's state: NUL, quote, backslash, braces, brackets, separators, line breaks,
    /// a stray UTF-8 lead byte, a continuation byte, an invalid byte.
    public static let interestingBytes: [UInt8] = [0x00, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0xFF, 0xC3, 0x80, 0xE2,
                                            0x0A, 0x0D, 0x09, 0x20, 0x2C, 0x3A, 0x3B, 0x3D, 0x2D, 0x2B, 0x2F,
                                            0x2E, 0x23, 0x26, 0x25, 0x27, 0x30, 0x39, 0x7F, 0x1B]

    /// Short sequences that make text parsers take odd paths.
    public static let interestingChunks: [[UInt8]] = [
        "9999999999999999999999999999", "-9223372036854775808", "9223372036854775807", "18446744073709551616",
        "-0", "1e999", "0.5", "\\u0000", "\\uD800", "\\uDC00\\uD800", "\\u00", "null", "true", "\r\n", "\r", "\n\n",
        "\u{FEFF}", "\u{2014} ", "\u{202E}", "%", "%C3", "%00", "%FF", "--", "&&", "==", "\"\"", "{}", "[]", ": ",
        "- ", "? ", "*a", "&a ", "!!binary ", "|\n", ">\n", "#", "'", "T", "Z", "+99:99", "24:60:60", "0000-00-00",
        "9999-12-31T23:59:59Z", "2026-02-29", "=\r\n", "\t",
    ].map { Array($0.utf8) } + [[0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80]]

    /// One to eight random edits of an input from `corpus`, sometimes spliced with another, at most `maxBytes` long.
    public static func mutate(_ corpus: [[UInt8]], extra: [[UInt8]], maxBytes: Int, using rng: inout SplitMix64) -> [UInt8] {
        var bytes = corpus.randomElement(using: &rng) ?? []
        let chunks = interestingChunks + extra
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng)
            switch Int.random(in: 0..<13, using: &rng) {
            case 0 where at < bytes.count: bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1 where at < bytes.count: bytes[at] = interestingBytes.randomElement(using: &rng)!
            case 2: bytes.insert(interestingBytes.randomElement(using: &rng)!, at: at)
            case 3 where at < bytes.count:
                bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &rng)))
            case 4: bytes.removeSubrange(at...)   // truncation
            case 5: bytes.insert(contentsOf: chunks.randomElement(using: &rng)!, at: at)
            case 6 where at < bytes.count:        // a chunk of the input repeated
                let end = min(bytes.count, at + Int.random(in: 1...64, using: &rng))
                let piece = Array(bytes[at..<end])
                for _ in 0..<Int.random(in: 1...64, using: &rng) { bytes.insert(contentsOf: piece, at: at) }
            case 7:                               // splice: our head, another input's tail
                let other = corpus.randomElement(using: &rng) ?? []
                let from = other.isEmpty ? 0 : Int.random(in: 0...other.count, using: &rng)
                bytes = Array(bytes[..<at]) + other[from...]
            case 8:                               // deep nesting
                let open: [UInt8] = [[0x5B], Array("{\"a\":".utf8), Array("- ".utf8), Array("a:\n ".utf8), [0x22]]
                    .randomElement(using: &rng)!
                let depth = Int.random(in: 1...2_000, using: &rng)
                bytes.insert(contentsOf: Array([[UInt8]](repeating: open, count: depth).joined()), at: at)
            case 9:                               // a huge number
                let digits = (0..<Int.random(in: 10...400, using: &rng)).map { _ in UInt8.random(in: 0x30...0x39, using: &rng) }
                bytes.insert(contentsOf: digits, at: at)
            case 10 where at < bytes.count:       // a line or field duplicated or swapped
                let end = min(bytes.count, at + Int.random(in: 1...200, using: &rng))
                let piece = Array(bytes[at..<end])
                let to = Int.random(in: 0...bytes.count, using: &rng)
                bytes.insert(contentsOf: piece, at: to)
            case 11: bytes.insert(contentsOf: [UInt8](repeating: interestingBytes.randomElement(using: &rng)!,
                                                      count: Int.random(in: 1...1_000, using: &rng)), at: at)
            default: if at < bytes.count { bytes[at] = UInt8.random(in: 0...255, using: &rng) }
            }
        }
        return bytes.count > maxBytes ? Array(bytes[..<maxBytes]) : bytes
    }

    /// Feeds `iterations` mutations of `corpus` (the originals first) to `body`, which must return or throw,
    /// never trap or hang. `accepts` decides whether a thrown error is the parser's own typed error; any
    /// other error, and in a long run any call slower than `slowCall`, is recorded as an issue naming the case.
    public static func run(_ name: String, corpus: [[UInt8]], extra: [[UInt8]] = [], seed: UInt64 = 1, iterations: Int,
                    maxBytes: Int = 16 * 1024, accepts: (any Error) -> Bool, _ body: ([UInt8]) throws -> Void) {
        var session = Session(name, corpus: corpus, extra: extra, seed: seed, iterations: iterations, maxBytes: maxBytes)
        while let (i, input) = session.next() {
            let start = session.begin(input)
            do { try body(input) } catch { if !accepts(error) { session.unexpected(error, case: i, input: input) } }
            if !session.end(start, case: i, input: input) { return }
        }
    }

    /// `run` for a body that awaits (requests to the application in process).
    public static func run(_ name: String, corpus: [[UInt8]], extra: [[UInt8]] = [], seed: UInt64 = 1, iterations: Int,
                    maxBytes: Int = 16 * 1024, accepts: (any Error) -> Bool, _ body: ([UInt8]) async throws -> Void) async {
        var session = Session(name, corpus: corpus, extra: extra, seed: seed, iterations: iterations, maxBytes: maxBytes)
        while let (i, input) = session.next() {
            let start = session.begin(input)
            do { try await body(input) } catch { if !accepts(error) { session.unexpected(error, case: i, input: input) } }
            if !session.end(start, case: i, input: input) { return }
        }
    }

    /// One fuzz run: the cases, the watchdog, the dump file and the slow-call count.
    struct Session {
        let name: String
        let corpus: [[UInt8]], extra: [[UInt8]]
        let count: Int, maxBytes: Int
        var rng: SplitMix64
        var i = 0, slow = 0
        let watchdog = Watchdog()
        let dumpURL: URL

        init(_ name: String, corpus: [[UInt8]], extra: [[UInt8]], seed: UInt64, iterations: Int, maxBytes: Int) {
            precondition(!corpus.isEmpty, "fuzz corpus \(name) is empty")
            self.name = name; self.corpus = corpus; self.extra = extra; self.maxBytes = maxBytes
            count = corpus.count + Fuzz.iterations(default: iterations)
            rng = SplitMix64(state: Fuzz.seed(default: seed))
            dumpURL = URL(fileURLWithPath: "/tmp/consentgate-fuzz-\(name).bin")
        }

        /// The next case number and input, nil after the last (then the watchdog stops).
        mutating func next() -> (Int, [UInt8])? {
            guard i < count else { watchdog.stop(); return nil }
            defer { i += 1 }
            return (i, i < corpus.count ? corpus[i] : Fuzz.mutate(corpus, extra: extra, maxBytes: maxBytes, using: &rng))
        }

        func begin(_ input: [UInt8]) -> ContinuousClock.Instant {
            if Fuzz.dump { try? Data(input).write(to: dumpURL) }
            watchdog.begin(name, input)
            return .now
        }

        func unexpected(_ error: any Error, case i: Int, input: [UInt8]) {
            Issue.record("\(name) case \(i): unexpected error \(type(of: error)): \(error)\ninput (base64): \(Data(input).base64EncodedString())")
        }

        /// Ends a call; false when the run should stop (three slow calls).
        mutating func end(_ start: ContinuousClock.Instant, case i: Int, input: [UInt8]) -> Bool {
            watchdog.end()
            let took = ContinuousClock.now - start
            // Slow calls count only in long runs, on a machine given to them: in the suite, beside other tests, a
            // wall-clock limit fails on load, not on a defect (only the hang watchdog's generous limit applies there).
            guard Fuzz.isLongRun, took > Fuzz.slowCall else { return true }
            slow += 1
            try? Data(input).write(to: URL(fileURLWithPath: "/tmp/consentgate-fuzz-\(name)-slow.bin"))
            Issue.record("\(name) case \(i): \(input.count) bytes took \(took)")
            if slow >= 3 { watchdog.stop(); return false }
            return true
        }
    }

    /// The bytes of `url` (nil when it cannot be read).
    public static func bytes(_ url: URL) -> [UInt8]? { (try? Data(contentsOf: url)).map { Array($0) } }

    /// The bytes of every regular file under `folder` whose name ends in one of `suffixes` (sorted by path).
    public static func files(under folder: URL, suffixes: [String]) -> [[UInt8]] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        let urls = walker.compactMap { $0 as? URL }.filter { u in suffixes.contains { u.lastPathComponent.hasSuffix($0) } }
        return urls.sorted { $0.path < $1.path }.compactMap(bytes)
    }

    /// The repository root (for `/work/shared`-independent fixtures such as `policies/` and `keys/`).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}
