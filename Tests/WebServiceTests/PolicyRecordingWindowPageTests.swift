import Foundation
import HummingbirdTesting
import Testing
@testable import WebService

/// The DPO's policy change page names a recording window (`recordable-until`) given to the old version kept after a
/// bump, as a change of the recording window (no warning box: nothing anyone signed changes).
extension PolicyChangePageTests {
    @Test func aPolicyLoadedEntryShowsARecordingWindow() async throws {
        let file = WebFixture.root.appendingPathComponent("policies/kim-rhein-sieg/consent-templates.yaml")
        let shipped = try String(contentsOf: file, encoding: .utf8)
        let bumped = try ConsentEarlierVersionPageTests.bumped(shipped)
            .replacingOccurrences(of: "      - version: 3\n", with: "      - version: 3\n        recordable-until: 2026-11-30\n")
        try await withChangedPolicy([(file: "consent-templates.yaml", old: shipped, new: bumped)]) { _, loaded, cookie, client in
            let german = try await client.execute(uri: "/audit/entries/\(loaded[1])", method: .get, headers: cookie)
            #expect(german.status == .ok)
            #expect(german.text.contains("<li>Version 3 recordable-until neu: darauf bis 2026-11-30 (Tag in Europe/Berlin) unterschriebene Papiererklärungen dürfen noch auf ihr aufgenommen werden — eine Änderung des Aufnahmefensters, nicht des Wortlauts"), "\(german.text)")
            #expect(!german.text.contains("id=\"template-warning-kim-beratung"), "no warning: the version's wording is unchanged")
            let english = try await client.execute(uri: "/audit/entries/\(loaded[1])?lang=en", method: .get, headers: cookie)
            #expect(english.text.contains("<li>version 3 recordable-until added: paper declarations signed on it by 2026-11-30 (a day in Europe/Berlin) may still be recorded on it — a change of the recording window, not of the wording"), "\(english.text)")
        }
    }
}
