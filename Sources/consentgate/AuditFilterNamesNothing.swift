import AuditLog
import Diagnostics
import PolicyEngine

/// A filter of `audit log` or `audit stats` whose value no entry of the log carries, when the answer was empty: a typing
/// error (`--partner jobcentre`, `--municipality Trosdorf`) would otherwise read as "nothing recorded", a real answer in a
/// DPO's review (found in a black-box review; `check` and `consent grant` refuse the same typos). Invalid input
/// (exit 3), naming the option, the value and what was probably meant among the values the log does carry. The read
/// itself was logged (as every read, with its zero results).
struct AuditFilterNamesNothing: UserFacingError, Equatable {
    /// One filter that matched nothing anywhere: its option, the value given and the log's values it is near.
    struct Miss: Equatable {
        var option: String
        var value: String
        var meant: [String]
    }
    let misses: [Miss]

    var category: ProblemCategory { .invalidInput }

    func message(in language: Language) -> String {
        misses.map { m in
            let quoted = m.meant.map { language == .de ? "„\($0)“" : "\"\($0)\"" }
            return language == .de
                ? "\(m.option) „\(m.value)“: kein Eintrag des Protokolls trägt diesen Wert, daher keine Treffer" + (quoted.isEmpty ? "" : "; gemeint ist wohl \(quoted.joined(separator: " oder "))")
                : "\(m.option) \"\(m.value)\": no entry of the log carries this value, hence nothing found" + (quoted.isEmpty ? "" : "; did you mean \(quoted.joined(separator: " or "))")
        }.joined(separator: "\n")
    }

    /// Throws for each filter of `filters` whose value no entry of `store` carries (nothing when all are carried).
    static func check(_ filters: AuditFilterOptions, in store: AuditLogStore) throws {
        let given: [(String, AuditFilterColumn, String?)] = [("--partner", .partner, filters.partner), ("--purpose", .purpose, filters.purpose),
                                                             ("--municipality", .municipality, filters.municipality), ("--by-actor", .actor, filters.byActor)]
        var misses: [Miss] = []
        for case let (option, column, value?) in given {
            let carried = try store.namedValues(in: column)
            guard !carried.contains(value) else { continue }
            misses.append(Miss(option: option, value: value, meant: CountyMunicipalities(carried).suggestions(for: value)))
        }
        if !misses.isEmpty { throw AuditFilterNamesNothing(misses: misses) }
    }
}
