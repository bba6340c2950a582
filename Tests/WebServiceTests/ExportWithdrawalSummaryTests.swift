import Diagnostics
@testable import DriveExport
import Foundation
import PolicyEngine
import Testing
@testable import WebService

/// A run whose records were decided again because consents were withdrawn during it, or whose part for a partner was
/// deferred to the next run (`ExportJob`, docs/export-job.md), says so in the API's summary and on the run's page.
@Suite struct ExportWithdrawalSummaryTests {
    static let policy: CompiledPolicy = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try! CompiledPolicy.load(directory: root.appendingPathComponent("policies/kim-rhein-sieg"))
    }()

    static func summary(withdrawals: Int, deferred: [String]) -> ExportSummary {
        var s = ExportSummary(runID: "20261207T031500Z-0a1b2c3d", dryRun: false, rowsRead: 10, quarantined: 0, quarantineReport: nil,
                              partners: [PartnerOutcome(partner: "auslaenderbehoerde", folder: "Auslaenderbehoerde",
                                                        purpose: "residence-registration", records: 0, notices: 0, columns: [], path: nil)],
                              recoveredRuns: [], inputSHA256: "00")
        s.withdrawalsDuringRun = withdrawals
        s.deferred = deferred.map { DeferredPart(partner: $0, records: 12, notices: 1) }
        return s
    }

    @Test("the API's summary names them, and leaves them out when there were none", arguments: [
        (2, ["auslaenderbehoerde"], #""withdrawals-during-run":2"#, #""deferred-partners":["auslaenderbehoerde"]"#),
        (0, [], nil, nil),
    ] as [(Int, [String], String?, String?)])
    func json(withdrawals: Int, deferred: [String], member: String?, partners: String?) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let summary = ExportJSON.Summary(Self.summary(withdrawals: withdrawals, deferred: deferred))
        let text = String(decoding: try encoder.encode(summary), as: UTF8.self)
        if let member { #expect(text.contains(member), "\(text)") } else { #expect(!text.contains("withdrawals-during-run")) }
        if let partners { #expect(text.contains(partners), "\(text)") } else { #expect(!text.contains("deferred-partners")) }
        // A summary stored by the registry reads back the same (a recorded run's page after a restart).
        #expect(try JSONDecoder().decode(ExportJSON.Summary.self, from: Data(text.utf8)) == summary)
    }

    @Test("the run's page says that records were decided again, and which partner waits for the next run", arguments: Language.allCases)
    func page(language: Language) {
        let html = ExportRunPage.summaryHTML(ExportJSON.Summary(Self.summary(withdrawals: 1, deferred: ["auslaenderbehoerde"])),
                                             policy: Self.policy, published: true, language: language).description
        let name = Self.policy.bundle.partner("auslaenderbehoerde")!.name[language]
        #expect(html.contains("id=\"withdrawals-during-run\""))
        switch language {
        case .de:
            #expect(html.contains("1 Einwilligung(en), auf die sich Datensätze dieses Laufs stützten, wurde(n) während des Laufs widerrufen"))
            #expect(html.contains("\(HTML.escape(name)) wurde in diesem Lauf nicht beliefert"))
        case .en:
            #expect(html.contains("1 consent(s) that records of this run relied on were withdrawn during the run"))
            #expect(html.contains("\(HTML.escape(name)) was not delivered in this run"))
        }
        let none = ExportRunPage.summaryHTML(ExportJSON.Summary(Self.summary(withdrawals: 0, deferred: [])), policy: Self.policy,
                                             published: true, language: language).description
        #expect(!none.contains("withdrawals-during-run") && !none.contains(language == .de ? "nicht beliefert" : "not delivered"))
    }
}
