import Foundation
@testable import PolicyEngine

/// A throwaway copy of the `small` fixture in a temporary folder, changed by a test (text replacements, extra files,
/// links); removed when the bundle is released (after the test that holds it, also when the test failed or threw),
/// or earlier by `remove()`.
final class TempBundle: Sendable {
    let url: URL

    /// Copies `Fixtures/small` and applies `replacements` (each `old` must occur exactly once) to its `policy.yaml`.
    init(replacing replacements: [(String, String)] = []) throws {
        let fm = FileManager.default
        url = fm.temporaryDirectory.appendingPathComponent("cg-bundle-\(UUID().uuidString)")
        do { try fm.copyItem(at: Fixture.url("small"), to: url) } catch { try? fm.removeItem(at: url); throw error }
        var text = try policyText()
        for (old, new) in replacements {
            precondition(text.components(separatedBy: old).count == 2, "`\(old)` must occur exactly once in the fixture")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try write("policy.yaml", text)
    }

    /// The current text of `policy.yaml`.
    func policyText() throws -> String { try String(contentsOf: url.appendingPathComponent("policy.yaml"), encoding: .utf8) }

    /// Writes `text` to `path` (relative to the bundle), creating folders.
    func write(_ path: String, _ text: String) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    /// The problems of loading the bundle (empty if it loads).
    var problems: [PolicyDiagnostic] { Fixture.problems(url) }

    deinit { remove() }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
