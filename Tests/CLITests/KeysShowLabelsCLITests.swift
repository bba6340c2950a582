import Foundation
import Testing

/// `keys show` labels every line in the output's language: no English `not-before:` next to German `Rollen:`.
@Suite struct KeysShowLabelsCLITests {
    /// The label lines of `keys show` (everything before the PEM block).
    static func labelLines(_ stdout: String) -> [String] {
        Array(stdout.split(separator: "\n").map(String.init).prefix { !$0.hasPrefix("-----BEGIN") })
    }

    static func demoKid() throws -> String {
        let list = try CLIRunner.run(["keys", "list", "--json"])
        let keys = try #require(list.json?["keys"] as? [[String: Any]], "\(list)")
        return try #require(keys.first?["kid"] as? String)
    }

    @Test func germanOutputHasOnlyGermanLabels() throws {
        let kid = try Self.demoKid()
        let r = try CLIRunner.run(["keys", "show", "--kid", kid], environment: ["CONSENTGATE_LANG": "de"])
        #expect(r.exitCode == 0, "\(r)")
        let lines = Self.labelLines(r.stdout)
        for english in ["name:", "algorithm:", "roles:", "not-before:", "not-after:", "revoked-at:", "state:", "demo:",
                        "public-key:", "private-key:"] {
            #expect(!lines.contains { $0.hasPrefix(english) }, "English label \(english) in German output:\n\(r.stdout)")
        }
        for german in ["Name:", "Algorithmus:", "Rollen:", "Gültig ab:", "Gültig bis:", "Zustand:", "Demo:", "Öffentlicher Schlüssel:"] {
            #expect(lines.contains { $0.hasPrefix(german) }, "no \(german) line:\n\(r.stdout)")
        }
        // The values start in one column.
        let starts = Set(lines.compactMap { line -> Int? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return line[line.index(after: colon)...].prefix { $0 == " " }.count + line.distance(from: line.startIndex, to: colon)
        })
        #expect(starts.count == 1, "values not aligned:\n\(r.stdout)")
    }

    @Test func englishOutputKeepsItsLabels() throws {
        let kid = try Self.demoKid()
        let r = try CLIRunner.run(["keys", "show", "--kid", kid], environment: ["CONSENTGATE_LANG": "en"])
        #expect(r.exitCode == 0, "\(r)")
        let lines = Self.labelLines(r.stdout)
        #expect(lines.contains("kid:        \(kid)"), "\(r.stdout)")
        for label in ["name:       ", "algorithm:  ", "roles:      ", "not-before: ", "not-after:  ", "state:      ", "demo:       ", "public-key: "] {
            #expect(lines.contains { $0.hasPrefix(label) }, "no \(label) line:\n\(r.stdout)")
        }
        #expect(!lines.contains { $0.hasPrefix("Rollen:") || $0.hasPrefix("Zustand:") })
    }
}
