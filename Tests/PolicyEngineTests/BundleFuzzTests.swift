import Foundation
import Testing
import FuzzSupport
@testable import PolicyEngine

/// The policy bundle loader under mutated YAML: one file of the shipped bundle (or a fixture bundle) is damaged,
/// the others stay, and loading returns a bundle or throws `PolicyError.invalidBundle` with located problems; it
/// never traps or hangs. A bundle that still loads is compiled, digested and its own tests are run. Run long with
/// `CONSENTGATE_FUZZ_ITERATIONS=20000 swift test --skip-build --filter BundleFuzzTests` (per file; see
/// `FuzzSupport.swift`).
@Suite struct BundleFuzzTests {
    /// A bundle folder read into memory: its YAML files by relative path (`policy.yaml` first) and its texts.
    struct Folder: Sendable {
        let url: URL
        let files: [(name: String, text: String, isTest: Bool)]

        init(_ url: URL) {
            self.url = url
            let fm = FileManager.default
            func yaml(_ dir: String) -> [String] {
                ((try? fm.contentsOfDirectory(atPath: url.appendingPathComponent(dir).path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
            }
            let top = yaml("").sorted { ($0 == "policy.yaml" ? "" : $0) < ($1 == "policy.yaml" ? "" : $1) }
            func read(_ name: String) -> String { (try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)) ?? "" }
            files = top.map { (name: $0, text: read($0), isTest: false) } + yaml("tests").map { (name: "tests/\($0)", text: read("tests/\($0)"), isTest: true) }
        }

        func lookup(_ path: String) -> BundleLoader.TextLookup {
            guard let text = try? String(contentsOf: url.appendingPathComponent(path), encoding: .utf8) else { return .missing }
            return .text(text)
        }
    }

    static let shipped = Folder(Fixture.shipped)
    static let small = Folder(Fixture.url("small"))

    /// (bundle, file) pairs: every YAML file of the shipped bundle and the small fixture's policy.
    static let targets: [String] = shipped.files.map { "shipped/\($0.name)" } + ["small/policy.yaml"]

    /// Loads `folder` with `replaced` standing in for the file `name`; compiles, digests and tests what loads.
    static func load(_ folder: Folder, replacing name: String, with text: String) throws {
        let sources = folder.files.map { f in
            BundleLoader.BundleSource(name: f.name, text: f.name == name ? text : f.text, isTest: f.isTest)
        }
        let bundle = try BundleLoader.load(sources: sources, texts: folder.lookup)
        let policy = CompiledPolicy(bundle)
        _ = BundleDigest.digest(of: bundle)
        _ = PolicyTestRunner.run(policy)
    }

    @Test(arguments: targets)
    func mutatedFile(_ target: String) throws {
        let (folder, name) = target.hasPrefix("shipped/") ? (Self.shipped, String(target.dropFirst(8))) : (Self.small, String(target.dropFirst(6)))
        let original = try #require(folder.files.first { $0.name == name }).text
        let seed = UInt64(truncatingIfNeeded: target.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) })
        Fuzz.run("bundle-\(target.replacingOccurrences(of: "/", with: "-"))", corpus: [Array(original.utf8)], seed: seed,
                 iterations: target.hasPrefix("small/") ? 60 : 4, maxBytes: 64 * 1024, accepts: { $0 is PolicyError }) { bytes in
            try Self.load(folder, replacing: name, with: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Whole folders on disk (invalid UTF-8, texts and all): the fixture bundle with its `policy.yaml` or a text
    /// damaged, loaded by `BundleLoader.load(directory:)`.
    @Test func mutatedFolder() throws {
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("cg-fuzz-bundle-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: folder) }
        try fm.copyItem(at: Fixture.url("small"), to: folder)
        let policy = try Array(Data(contentsOf: folder.appendingPathComponent("policy.yaml")))
        let text = try Array(Data(contentsOf: folder.appendingPathComponent("texts/t.de.md")))
        var n = 0
        Fuzz.run("bundle-folder", corpus: [policy, text], seed: 0x5EED_0401, iterations: 30, accepts: { $0 is PolicyError }) { bytes in
            n += 1
            // Alternate: a damaged policy.yaml with the original text, or the original policy.yaml with a damaged text.
            try Data(n % 2 == 0 ? bytes : policy).write(to: folder.appendingPathComponent("policy.yaml"))
            try Data(n % 2 == 0 ? text : bytes).write(to: folder.appendingPathComponent("texts/t.de.md"))
            let bundle = try BundleLoader.load(directory: folder)
            _ = PolicyTestRunner.run(CompiledPolicy(bundle))
        }
    }
}
