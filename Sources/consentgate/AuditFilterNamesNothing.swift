import AuditLog
import Diagnostics
import Foundation
import PolicyEngine

/// A filter of `audit log` or `audit stats` whose value neither the policy in force nor any entry of the log knows, when
/// the answer was empty: a typing error (`--partner jobcentre`, `--municipality Trosdorf`) would otherwise read as
/// "nothing recorded", a real answer in a DPO's review (found in a black-box review; `check` and `consent grant` refuse
/// the same typos). Invalid input (exit 3), naming the option, the value and what was probably meant. A value the policy
/// knows (a partner nothing went to yet) or the log carries (an earlier policy's partner) answers empty as before, as
/// does `--by-actor` of someone who never acted (accounts live beside the log; a hint on standard error names the
/// actors it probably meant). The read itself was logged (as every read, with its zero results).
struct AuditFilterNamesNothing: UserFacingError, Equatable {
    /// One filter that matched nothing anywhere: its option, the value given and the values it is near.
    struct Miss: Equatable {
        var option: String
        var value: String
        var meant: [String]
    }
    let misses: [Miss]

    var category: ProblemCategory { .invalidInput }

    func message(in language: Language) -> String {
        misses.map { Self.words($0, language) }.joined(separator: "\n")
    }

    /// One miss in words.
    static func words(_ m: Miss, _ language: Language) -> String {
        let quoted = m.meant.map { language == .de ? "„\($0)“" : "\"\($0)\"" }
        return language == .de
            ? "\(m.option) „\(m.value)“: weder die geltende Richtlinie noch ein Eintrag des Protokolls kennt diesen Wert, daher keine Treffer" + (quoted.isEmpty ? "" : "; gemeint ist wohl \(quoted.joined(separator: " oder "))")
            : "\(m.option) \"\(m.value)\": neither the policy in force nor any entry of the log knows this value, hence nothing found" + (quoted.isEmpty ? "" : "; did you mean \(quoted.joined(separator: " or "))")
    }

    /// Throws for each of the partner, purpose and municipality filters whose value neither `policy` nor an entry of
    /// `store` knows (without a policy, nil, each is a hint on standard error instead); writes a hint to standard error
    /// for a `--by-actor` no entry carries.
    static func check(_ filters: AuditFilterOptions, in store: AuditLogStore, policy: PolicyBundle?, language: Language) throws {
        let known: [(String, AuditFilterColumn, String?, [String])] = [
            ("--partner", .partner, filters.partner, policy?.partners.map(\.id) ?? []),
            ("--purpose", .purpose, filters.purpose, policy?.purposes.map(\.id) ?? []),
            ("--municipality", .municipality, filters.municipality, policy?.countyMunicipalities.sorted ?? []),
        ]
        var misses: [Miss] = []
        for case let (option, column, value?, policyValues) in known where !policyValues.contains(value) {
            guard try !store.carries(value, in: column) else { continue }
            let near = CountyMunicipalities(Set(policyValues).union(try store.namedValues(in: column))).suggestions(for: value)
            misses.append(Miss(option: option, value: value, meant: near))
        }
        if let actor = filters.byActor, try !store.carries(actor, in: .actor) {
            let near = CountyMunicipalities(try store.namedValues(in: .actor)).suggestions(for: actor)
            let hint = language == .de
                ? "Hinweis: --by-actor „\(actor)“: kein Eintrag des Protokolls stammt von diesem Akteur" + (near.isEmpty ? "" : "; gemeint ist wohl " + near.map { "„\($0)“" }.joined(separator: " oder "))
                : "note: --by-actor \"\(actor)\": no entry of the log was made by this actor" + (near.isEmpty ? "" : "; did you mean " + near.map { "\"\($0)\"" }.joined(separator: " or "))
            StandardError.write(hint + "\n")
        }
        guard !misses.isEmpty else { return }
        // Without a policy to ask (no bundle folder here) a value no entry carries may still be a partner nothing went to
        // yet: said as a hint, not refused.
        guard policy != nil else {
            for m in misses { StandardError.write((language == .de ? "Hinweis: " : "note: ") + words(m, language) + "\n") }
            return
        }
        throw AuditFilterNamesNothing(misses: misses)
    }

    /// The policy the filters are checked against: the installation's default bundle folder when it loads, else none.
    static func policyInForce() -> PolicyBundle? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: AuditReportLabels.defaultFolder, isDirectory: &isDir), isDir.boolValue else { return nil }
        return try? BundleLoader.load(directory: URL(fileURLWithPath: AuditReportLabels.defaultFolder))
    }
}
