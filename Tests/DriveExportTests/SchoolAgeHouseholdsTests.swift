import Foundation
import Gate
import Testing
@testable import DriveExport

/// Pass 1 of the export validates only the rows that can put a household into the school-age set (children
/// aged 6 to 18 with a household); the set must be exactly the one that validating every row gives.
@Suite struct SchoolAgeHouseholdsTests {
    /// The set computed the plain way: every row validated.
    static func reference(_ path: String, plan: ExportPlan, mapping: HeaderMapping) throws -> Set<String> {
        let reader = try RegistrationListReader(path: path, mapping: mapping, schema: plan.schema, now: ExportHarness.now,
                                                alsoRequired: plan.requiredColumns)
        let household = try #require(reader.layout.index(of: ExportPlan.householdField))
        let today = CivilDate(utcDateOf: ExportHarness.now)
        var set: Set<String> = []
        while let row = try reader.next() {
            guard case .valid(let r) = row, let birth = r.birthDate, (6...18).contains(birth.years(until: today)) else { continue }
            let id = ExportPlan.trimmed(r.values[household])
            if !id.isEmpty { set.insert(id) }
        }
        return set
    }

    @Test("the school-age households equal those of a fully validated pass", arguments: ["sample", "messy", "generated"])
    func sameAsFullValidation(list: String) throws {
        let inst = try ExportHarness.open("pass1")
        defer { inst.remove() }
        var path = list == "sample" ? ExportHarness.sample : ExportHarness.messy
        if list == "generated" {
            // Many broken rows (duplicate case ids, bad dates, wrong column counts, …) among 3,000.
            let r = try TestSupport.run("/usr/bin/env", ["python3", TestSupport.generator, "--rows", "3000", "--bad", "400", "--seed", "11"])
            #expect(r.status == 0)
            path = inst.dir + "/generated.csv"
            try r.out.write(to: URL(fileURLWithPath: path))
        }
        let plan = try ExportPlan(policy: inst.gate.policy)
        let mapping = try plan.mapping(file: nil)
        let expected = try Self.reference(path, plan: plan, mapping: mapping)
        let got = try ExportJob.schoolAgeHouseholds(options: inst.options(input: path), plan: plan, mapping: mapping,
                                                    now: ExportHarness.now, totalBytes: 0, progress: nil)
        #expect(got == expected)
        #expect(!expected.isEmpty)
    }
}
