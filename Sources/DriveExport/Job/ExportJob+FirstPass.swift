import Foundation
import PolicyEngine

/// Pass 1 over the list: the households with a school-age child, the duplicate rows and the input's digest.
extension ExportJob {
    /// What pass 1 found: the ids of households with a valid row of a child aged 6 to 18 (school age) on `now`'s
    /// day, and, when it read the whole list, the duplicate rows and the SHA-256 of the bytes they are of.
    struct FirstPass {
        var households = HouseholdSet()
        var duplicateLines: [UInt32: UInt32]? = nil
        var inputSHA256: [UInt8]? = nil
    }

    /// Pass 1 (see `FirstPass`). The case ids are collected in bounded memory (`DuplicateCaseIDFinder`), so the
    /// duplicate rows are known only at the end: a duplicate row of a school-age child counted its household
    /// while being read. In the rare list where that happened, the households are read once more with the
    /// duplicates known, so the set is exactly that of rows pass 2 accepts.
    /// `stop` is called every 2,000 rows; what it throws ends the pass (the job's keys failed meanwhile).
    static func schoolAgeHouseholds(options: ExportOptions, plan: ExportPlan, mapping: HeaderMapping, now: Date,
                                    totalBytes: Int, progress: (@Sendable (ExportProgress) -> Void)?,
                                    stop: () throws -> Void = {}) throws -> FirstPass {
        let first = try households(options: options, plan: plan, mapping: mapping, now: now, totalBytes: totalBytes,
                                   knownDuplicates: nil, progress: progress, stop: stop)
        guard let counted = first.countedLines, let duplicates = first.pass.duplicateLines,
              duplicates.keys.contains(where: counted.contains) else { return first.pass }
        var again = try households(options: options, plan: plan, mapping: mapping, now: now, totalBytes: totalBytes,
                                   knownDuplicates: duplicates, progress: nil, stop: stop).pass
        guard again.inputSHA256 == first.pass.inputSHA256 else { throw ExportJobError.inputChanged(path: options.input) }
        again.duplicateLines = duplicates
        return again
    }

    /// One read of the list for `schoolAgeHouseholds`: the households, the duplicate rows (collected, or
    /// `knownDuplicates`), the input's SHA-256, and the lines whose row added a household (one bit per line).
    static func households(options: ExportOptions, plan: ExportPlan, mapping: HeaderMapping, now: Date, totalBytes: Int,
                           knownDuplicates: [UInt32: UInt32]?, progress: (@Sendable (ExportProgress) -> Void)?,
                           stop: () throws -> Void = {}) throws -> (pass: FirstPass, countedLines: LineSet?) {
        let reader = try RegistrationListReader(path: options.input, mapping: mapping, schema: plan.schema, now: now,
                                                alsoRequired: plan.requiredColumns, knownDuplicates: knownDuplicates,
                                                collectingDuplicates: knownDuplicates == nil)
        guard let household = reader.layout.index(of: ExportPlan.householdField) else { return (FirstPass(), nil) }
        let householdColumn = reader.layout.columnIndexes[household]
        let birthColumn = plan.schema.birthDateField.flatMap(reader.layout.index(of:)).map { reader.layout.columnIndexes[$0] }
        let today = CivilDate(berlinDateOf: now)
        func schoolAge(_ birth: CivilDate?) -> Bool { birth.map { (6...18).contains($0.years(until: today)) } ?? false }
        var set = HouseholdSet()
        var counted = LineSet()
        var rows = 0
        // Only a school-age child's row with a household can add to the set: the others are read (their case
        // ids still count for the duplicate check) but not validated.
        try reader.forEach(validatingOnly: { raw in
            guard let birthColumn, raw.cells.count > max(householdColumn, birthColumn),
                  !ExportPlan.trimmed(raw.cells[householdColumn]).isEmpty else { return false }
            return schoolAge(CivilDate(parsing: raw.cells[birthColumn]))
        }) { row, bytesRead in
            rows += 1
            if rows % 2000 == 0 {
                try stop()
                progress?(ExportProgress(pass: 1, rows: rows, bytesRead: bytesRead, totalBytes: totalBytes))
            }
            guard case .valid(let r)? = row, schoolAge(r.birthDate) else { return }
            let id = ExportPlan.trimmed(r.values[household])
            if !id.isEmpty {
                set.insert(id)
                counted.insert(UInt32(clamping: r.line))
            }
        }
        let duplicates = try reader.finishDuplicates()
        return (FirstPass(households: set, duplicateLines: duplicates, inputSHA256: reader.inputSHA256), counted)
    }
}
