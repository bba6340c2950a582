import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// The demo data set and accounts are made for the shipped bundle: a bundle they do not fit is named with what it lacks,
/// before anything is written, instead of failing on the first account's municipality.
@Suite struct DemoDataSetFitTests {
    static let shipped = try! CompiledPolicy.load(directory: URL(fileURLWithPath: GateTestInstallation.shippedPolicy)).bundle

    @Test("the shipped bundle fits the demo data set")
    func shippedBundleFits() {
        #expect(DemoDataSet.gaps(in: Self.shipped).isEmpty)
    }

    /// A change to the shipped bundle, and the words the gap must contain (nil: the bundle still fits).
    struct Change: Sendable, CustomStringConvertible {
        var description: String
        var apply: @Sendable (inout PolicyBundle) -> Void
        var expected: String?
    }

    static let changes: [Change] = [
        Change(description: "Siegburg not listed", apply: { $0.municipalities.removeAll { $0 == "Siegburg" } }, expected: "Siegburg"),
        Change(description: "Troisdorf not listed", apply: { $0.municipalities.removeAll { $0 == "Troisdorf" } }, expected: "Troisdorf"),
        Change(description: "no municipality list (any name is recorded)", apply: { $0.municipalities = [] }, expected: nil),
        Change(description: "template missing", apply: { $0.templates.removeAll { $0.id == "kim-beratung" } }, expected: "kim-beratung"),
        Change(description: "a signed clause missing", apply: { b in
            for i in b.templates.indices where b.templates[i].id == "kim-beratung" { b.templates[i].clauses.removeAll { $0.id == "sprachkurs" } }
        }, expected: "sprachkurs"),
    ]

    @Test("a bundle the demo does not fit is named with what it lacks", arguments: changes)
    func gaps(change: Change) {
        var bundle = Self.shipped
        change.apply(&bundle)
        let gaps = DemoDataSet.gaps(in: bundle)
        if let expected = change.expected {
            #expect(gaps.count == 1, "\(gaps)")
            #expect(gaps.allSatisfy { $0.de.contains(expected) && $0.en.contains(expected) }, "\(gaps)")
        } else {
            #expect(gaps.isEmpty, "\(gaps)")
        }
    }

    @Test("seeding on a bundle without Siegburg is refused before anything is stored")
    func seedingRefusedWithoutWriting() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let copy = try inst.policyCopy("no-siegburg", edits: ["policy.yaml": [("Sankt Augustin, Siegburg, Swisttal", "Sankt Augustin, Swisttal")]])
        let gate = try inst.open(policy: copy)
        let size = try gate.auditLog.size()
        let error = #expect(throws: DemoDataSetMismatch.self) { try gate.seedDemoDataSet() }
        #expect(error?.category.exitCode == 2)
        #expect(error?.message(in: .en).contains("not listed in `municipalities`: Siegburg") == true, "\(String(describing: error))")
        #expect(error?.message(in: .de).contains("ohne --demo") == true || error?.message(in: .de).contains("Ohne --demo") == true)
        #expect(try gate.subject(id: DemoDataSet.people[0].id) == nil)
        #expect(try gate.auditLog.size() == size, "nothing logged")
    }
}
