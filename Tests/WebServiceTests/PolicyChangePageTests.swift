import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The entry page of a `policy-loaded` entry shows what the change released differently (`PolicyDiff` between the
/// archived bundle it replaced and the one it put in force), so a DPO reviewing the log sees every policy change's
/// effect, not only its digest.
@Suite struct PolicyChangePageTests {
    /// The shipped bundle with `edits` (file, old text occurring once, new text) applied, and the service opened with
    /// it on the fixture's database: its two `policy-loaded` entries (the fixture's bundle, then the changed one) and a
    /// DPO's session cookie are handed to `body`.
    func withChangedPolicy(_ edits: [(file: String, old: String, new: String)],
                           _ body: @Sendable (Gate, [Int64], HTTPFields, any TestClientProtocol) async throws -> Void) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let changed = fixture.directory.appendingPathComponent("changed-policy")
        try FileManager.default.copyItem(at: WebFixture.root.appendingPathComponent("policies/kim-rhein-sieg"), to: changed)
        for edit in edits {
            let file = changed.appendingPathComponent(edit.file)
            let text = try String(contentsOf: file, encoding: .utf8)
            try #require(text.components(separatedBy: edit.old).count == 2, "\(edit.old)")
            try Data(text.replacingOccurrences(of: edit.old, with: edit.new).utf8).write(to: file)
        }
        let gate = try Gate.open(GateConfiguration(databasePath: fixture.directory.appendingPathComponent("consentgate.sqlite").path,
                                                   policyDirectory: changed.path,
                                                   trustFile: WebFixture.root.appendingPathComponent("keys/trust.yaml").path, demoMode: true))
        let loaded = try gate.auditLog.entries(matching: AuditQuery(kinds: [.policyLoaded], limit: nil)).map(\.index)
        try #require(loaded.count == 2)
        let environment = WebEnvironment(configuration: fixture.environment.configuration, gate: gate)
        try await WebApplication.build(environment: environment).test(.router) { client in
            let dpo = try #require(try await pageLogin(client, name: "test-dpo"))
            try await body(gate, loaded, [.cookie: "cg_session=\(dpo)"], client)
        }
    }

    @Test func aPolicyLoadedEntryShowsWhatTheChangeReleases() async throws {
        // The county gives the Ausländerbehörde the phone number by statute: the service is opened with that bundle.
        let old = "fields: [case.id, name.*, birth.date, person.*, document.passport-number, residence.*, address.*]"
        try await withChangedPolicy([("rules.yaml", old, old.dropLast() + ", contact.phone]")]) { gate, loaded, cookie, client in
            let first = try await client.execute(uri: "/audit/entries/\(loaded[0])", method: .get, headers: cookie)
            #expect(first.status == .ok && first.text.contains("id=\"policy-change-first\""), "\(first.text)")

            let german = try await client.execute(uri: "/audit/entries/\(loaded[1])", method: .get, headers: cookie)
            #expect(german.status == .ok)
            let rows = german.text.matches(of: /<tr data-direction="(\w+)" data-field="([^"]+)">/).map { "\($0.1) \($0.2)" }
            #expect(rows == ["wider contact.phone"], "\(german.text)")
            #expect(german.text.contains("Ausländerbehörde") && german.text.contains("<strong>weiter</strong>: mit Einwilligung → per Gesetz, ohne Einwilligung"),
                    "\(german.text)")
            #expect(german.text.contains("Gesetz: abh-registration (§ 87 Abs. 1 AufenthG"))
            let english = try await client.execute(uri: "/audit/entries/\(loaded[1])?lang=en", method: .get, headers: cookie)
            #expect(english.text.contains("<strong>wider</strong>: with consent → by statute, without consent"), "\(english.text)")
            // Each view is a read of the log, as every DPO read.
            let reads = try gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead], limit: nil))
            #expect(reads.filter { $0.entry.actor == "test-dpo" }.count == 3)
        }
    }

    /// A change to the export profiles only (the Jugendamt's list takes every row, the Ausländerbehörde's gains the
    /// phone column) is shown too: the rules' part says nothing changed, the profiles' table says what did.
    @Test func aChangeToTheExportProfilesOnlyIsShown() async throws {
        try await withChangedPolicy([("exports.yaml", "    records: {age: {lt: 18}}\n", ""),
                                     ("exports.yaml", "residence.entry-date, address.street", "residence.entry-date, contact.phone, address.street")]) { _, loaded, cookie, client in
            let german = try await client.execute(uri: "/audit/entries/\(loaded[1])", method: .get, headers: cookie)
            #expect(german.status == .ok)
            #expect(german.text.contains("id=\"policy-change-rules-same\"") && !german.text.contains("id=\"policy-change-none\""), "\(german.text)")
            let rows = german.text.matches(of: /<tr data-direction="(\w+)" data-profile="([^"]+)">/).map { "\($0.1) \($0.2)" }
            #expect(rows == ["wider auslaenderbehoerde-registrierung", "undetermined jugendamt-minderjaehrige"], "\(german.text)")
            #expect(german.text.contains("<strong>weiter</strong>"))
            #expect(german.text.contains("age &lt; 18 → alle Zeilen"), "\(german.text)")
            #expect(german.text.contains("<code>contact.phone</code> (mit Einwilligung)"), "\(german.text)")
            let english = try await client.execute(uri: "/audit/entries/\(loaded[1])?lang=en", method: .get, headers: cookie)
            #expect(english.text.contains("age &lt; 18 → every row") && english.text.contains("changed export profiles"), "\(english.text)")
        }
    }
    /// A change to the county's municipalities only: the names listed anew (escaped) and those no longer, with what a
    /// removed one means for new accounts, consents and list rows.
    @Test func aChangeToTheMunicipalitiesIsShown() async throws {
        try await withChangedPolicy([("policy.yaml", "Meckenheim, Much,", "Meckenheim,"),
                                     ("policy.yaml", "Wachtberg, Windeck]", "Wachtberg, Windeck, \"Muster<stadt>\"]")]) { _, loaded, cookie, client in
            let german = try await client.execute(uri: "/audit/entries/\(loaded[1])", method: .get, headers: cookie)
            #expect(german.status == .ok)
            #expect(german.text.contains("id=\"municipality-changes\"") && !german.text.contains("id=\"policy-change-none\""), "\(german.text)")
            #expect(german.text.contains("<li>Neu: Muster&lt;stadt&gt;</li>"), "\(german.text)")
            #expect(german.text.contains("<li>Entfallen: Much. Neue Konten, Einwilligungen und Listenzeilen"), "\(german.text)")
            let english = try await client.execute(uri: "/audit/entries/\(loaded[1])?lang=en", method: .get, headers: cookie)
            #expect(english.text.contains("<li>Removed: Much. New accounts, consents and list rows naming them are refused"), "\(english.text)")
        }
    }

    /// Two partners' drive folders swapped (found in a review of policy authoring: the school office's export went into the
    /// job centre's folder, and the page said "no change"): a warning per partner first, and the partners' changes listed.
    @Test func swappedPartnerFoldersAreWarnedAbout() async throws {
        try await withChangedPolicy([("policy.yaml", "{name: {de: Schulamt, en: School office}, folder: Schulamt}", "{name: {de: Schulamt, en: School office}, folder: Jobcenter}"),
                                     ("policy.yaml", "{name: {de: Jobcenter, en: Jobcentre}, folder: Jobcenter}", "{name: {de: Jobcenter, en: Jobcentre}, folder: Schulamt}")]) { _, loaded, cookie, client in
            let german = try await client.execute(uri: "/audit/entries/\(loaded[1])", method: .get, headers: cookie)
            #expect(german.status == .ok)
            #expect(!german.text.contains("id=\"policy-change-none\""), "\(german.text)")
            #expect(german.text.contains("<strong>Warnung:</strong> Die Exporte an Schulamt (schulamt) gehen künftig in den Laufwerksordner „Jobcenter“ statt „Schulamt“"), "\(german.text)")
            #expect(german.text.contains("<li>geändert: jobcenter: Laufwerksordner „Jobcenter“ → „Schulamt“</li>"), "\(german.text)")
            let english = try await client.execute(uri: "/audit/entries/\(loaded[1])?lang=en", method: .get, headers: cookie)
            #expect(english.text.contains("the exports to Jobcentre (jobcenter) go to the drive folder “Schulamt” from now on"), "\(english.text)")
        }
    }
}

/// The DPO's policy change page names a changed field definition (here the shipped bundle's `health.notes` losing
/// `multiline`, and a renamed column heading), with what it means for the lists; before, it said "no change".
extension PolicyChangePageTests {
    @Test func aChangedFieldDefinitionIsShown() async throws {
        let old = "  health.notes:                {category: health,     type: string, multiline: true, label: {de: \"Gesundheitliche Hinweise\", en: \"Health notes\"}}"
        let new = "  health.notes:                {category: health,     type: string, label: {de: \"Gesundheit <Hinweise>\", en: \"Health notes\"}}"
        try await withChangedPolicy([("policy.yaml", old, new)]) { _, loaded, cookie, client in
            let german = try await client.execute(uri: "/audit/entries/\(loaded[1])", method: .get, headers: cookie)
            #expect(german.status == .ok)
            #expect(german.text.contains("id=\"field-changes\"") && !german.text.contains("id=\"policy-change-none\""), "\(german.text)")
            #expect(german.text.contains("<li><code>label.de</code>: „Gesundheitliche Hinweise“ → „Gesundheit &lt;Hinweise&gt;“ (die Spaltenüberschrift der Meldelisten"), "\(german.text)")
            #expect(german.text.contains("<li><code>multiline</code>: „true“ → „false“ (Zeilenumbrüche in dieser Listenspalte halten die Zeile jetzt zurück)</li>"), "\(german.text)")
            let english = try await client.execute(uri: "/audit/entries/\(loaded[1])?lang=en", method: .get, headers: cookie)
            #expect(english.text.contains("<h3 id=\"field-changes-heading\">Field definitions</h3>"), "\(english.text)")
            #expect(english.text.contains("(line breaks in this list column now quarantine the row)"), "\(english.text)")
        }
    }
}

/// The policy change page names a category that stopped being special and an attribute read from another source, as
/// `policy diff` does (black-box review of policy authoring: both read as "no change").
extension PolicyChangePageTests {
    @Test func aCategoryNoLongerSpecialIsShownWithTheFieldsItWidens() async throws {
        try await withChangedPolicy([("policy.yaml", "  health:         {label: {de: Gesundheit, en: Health}, special: true}",
                                      "  health:         {label: {de: Gesundheit, en: Health}}")]) { _, loaded, cookie, client in
            let german = try await client.execute(uri: "/audit/entries/\(loaded[1])", method: .get, headers: cookie)
            #expect(german.status == .ok)
            #expect(german.text.contains("<tr data-direction=\"wider\" data-field=\"health.notes\">"), "\(german.text)")
            #expect(german.text.contains("(die Kategorie des Felds ist keine besondere (Art. 9 DSGVO) mehr)"), "the row says why: \(german.text)")
            #expect(german.text.contains("<h3 id=\"category-changes-heading\">Datenkategorien</h3>"), "\(german.text)")
            #expect(german.text.contains("<li><code>special</code>: „true“ → „false“ (keine besondere Kategorie (Art. 9 DSGVO) mehr"), "\(german.text)")
            let english = try await client.execute(uri: "/audit/entries/\(loaded[1])?lang=en", method: .get, headers: cookie)
            #expect(english.text.contains("(no longer a special category (GDPR Art. 9): its fields now go on a consent that is not explicit too)"), "\(english.text)")
        }
    }

    @Test func anAttributeReadOtherwiseIsShown() async throws {
        try await withChangedPolicy([("policy.yaml", "  age:                   {type: int,    from: birth.date, subject: birth-date,",
                                      "  age:                   {type: int,    from: birth.date,")]) { _, loaded, cookie, client in
            let german = try await client.execute(uri: "/audit/entries/\(loaded[1])", method: .get, headers: cookie)
            #expect(german.status == .ok)
            #expect(german.text.contains("doch ein Merkmal, das sie prüfen, wird anders gelesen"), "\(german.text)")
            #expect(german.text.contains("<li><code>subject</code>: „birth-date“ → „“</li><li><strong>Regeln oder Exportprofile prüfen dieses Merkmal"), "\(german.text)")
            let english = try await client.execute(uri: "/audit/entries/\(loaded[1])?lang=en", method: .get, headers: cookie)
            #expect(english.text.contains("<h3 id=\"attribute-changes-heading\">Subject attributes</h3>"), "\(english.text)")
        }
    }
}
