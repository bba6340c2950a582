import Foundation
import Testing

/// Exit codes (CONTRACTS §8) and message language of `check` and `consent grant`.
@Suite struct CheckExitCodesCLITests {
    struct BadCall: Sendable, CustomTestStringConvertible {
        let name: String
        let args: [String]
        let exit: Int32
        /// Text the English error message must contain.
        let message: String
        var testDescription: String { name }
    }

    /// This time tomorrow, whole seconds, RFC 3339 UTC.
    static let tomorrow: String = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date().addingTimeInterval(86_400))
    }()

    static let badCalls: [BadCall] = [
        BadCall(name: "check with --lang fr", args: ["check", "--lang", "fr", "--subject", "RSK-2022-000002", "--partner", "jobcenter",
                                                     "--purpose", "job-placement", "--fields", "name.family"], exit: 2, message: "'fr'"),
        BadCall(name: "audit stats with --by week", args: ["audit", "stats", "--demo", "--by", "week"],
                exit: 2, message: "option --by invalid: \"week\" is not one of partner, month"),
        BadCall(name: "audit report with --lang fr", args: ["audit", "report", "--demo", "--subject", "RSK-2022-000002", "--lang", "fr"],
                exit: 2, message: "'fr'"),
        BadCall(name: "audit report for an empty subject", args: ["audit", "report", "--demo", "--subject", ""],
                exit: 3, message: "--subject: \"\" is not a case id"),
        BadCall(name: "audit report for a subject no person can have", args: ["audit", "report", "--demo", "--subject", "RSK 1"],
                exit: 3, message: "--subject: \"RSK 1\" is not a case id"),
        BadCall(name: "check without fields", args: ["check", "--subject", "RSK-2022-000002", "--partner", "jobcenter",
                                                     "--purpose", "job-placement"], exit: 2, message: "no fields"),
        BadCall(name: "check with a bad --at", args: ["check", "--subject", "RSK-2022-000002", "--partner", "jobcenter",
                                                      "--purpose", "job-placement", "--fields", "name.family", "--at", "2026-13-01 10:00"],
                exit: 2, message: "--at"),
        BadCall(name: "check with a bad --birth-date", args: ["check", "--subject", "RSK-2022-000002", "--partner", "jobcenter",
                                                              "--purpose", "job-placement", "--fields", "name.family",
                                                              "--birth-date", "18/07/1948"], exit: 2, message: "--birth-date"),
        BadCall(name: "grant with an unknown template", args: ["consent", "grant", "--subject", "RSK-2022-000002",
                                                               "--template", "kim-beratung-9", "--clauses", "jobcenter",
                                                               "--collected-by", "cm.1", "--municipality", "Troisdorf",
                                                               "--granted-at", "2026-01-10T09:00:00Z"],
                exit: 3, message: "kim-beratung-9"),
        BadCall(name: "grant with a clause not in the template", args: ["consent", "grant", "--subject", "RSK-2022-000002",
                                                                        "--clauses", "jobcenter,kita", "--collected-by", "cm.1",
                                                                        "--municipality", "Troisdorf",
                                                                        "--granted-at", "2026-01-10T09:00:00Z"],
                exit: 3, message: "kita"),
        BadCall(name: "grant with a bad --validity", args: ["consent", "grant", "--subject", "RSK-2022-000002", "--clauses", "jobcenter",
                                                            "--collected-by", "cm.1", "--municipality", "Troisdorf",
                                                            "--validity", "two years"], exit: 2, message: "--validity"),
        BadCall(name: "check with a birth date that does not exist", args: ["check", "--subject", "RSK-2022-000002", "--partner", "jobcenter",
                                                                            "--purpose", "job-placement", "--fields", "name.family",
                                                                            "--birth-date", "31.04.2010"],
                exit: 2, message: "\"31.04.2010\": there is no such day (April 2010 has fewer than 31 days)"),
        BadCall(name: "check with a 29 February of a common year", args: ["check", "--subject", "RSK-2022-000002", "--partner", "jobcenter",
                                                                          "--purpose", "job-placement", "--fields", "name.family",
                                                                          "--birth-date", "2025-02-29"],
                exit: 2, message: "there is no such day (February 2025 has fewer than 29 days)"),
        BadCall(name: "grant with a --validity in hours", args: ["consent", "grant", "--subject", "RSK-2022-000002", "--clauses", "jobcenter",
                                                                 "--collected-by", "cm.1", "--municipality", "Troisdorf",
                                                                 "--validity", "PT1H"], exit: 2, message: "has a time part (T…)"),
        BadCall(name: "grant valid longer than the template allows", args: ["consent", "grant", "--subject", "RSK-2022-000002",
                                                                             "--clauses", "jobcenter", "--collected-by", "cm.1",
                                                                             "--municipality", "Troisdorf", "--validity", "P3Y",
                                                                             "--granted-at", "2026-01-10T09:00:00Z"],
                exit: 3, message: "max-validity P2Y"),
        BadCall(name: "grant for a minor without guardian", args: ["consent", "grant", "--subject", "RSK-2025-000100",
                                                                   "--clauses", "jugendamt", "--collected-by", "cm.1",
                                                                   "--municipality", "Siegburg", "--birth-date", "11.01.2010",
                                                                   "--granted-at", "2026-01-10T09:00:00Z"],
                exit: 3, message: "a guardian must be recorded"),
        BadCall(name: "grant with a missing evidence file", args: ["consent", "grant", "--subject", "RSK-2022-000002",
                                                                   "--clauses", "jobcenter", "--collected-by", "cm.1",
                                                                   "--municipality", "Troisdorf", "--evidence", "/nonexistent/scan.pdf",
                                                                   "--granted-at", "2026-01-10T09:00:00Z"],
                exit: 3, message: "/nonexistent/scan.pdf"),
        BadCall(name: "grant in the future", args: ["consent", "grant", "--subject", "RSK-2022-000002", "--clauses", "jobcenter",
                                                    "--collected-by", "cm.1", "--municipality", "Troisdorf",
                                                    "--granted-at", tomorrow], exit: 3, message: tomorrow),
        // Dated after every signing key's not-after, and so in the future: the request's mistake, said as such (it read as
        // "no usable key for role consent-signer", exit 4, before; found in a review).
        BadCall(name: "grant dated after the signing keys expire", args: ["consent", "grant", "--subject", "RSK-2022-000002",
                                                                          "--clauses", "jobcenter", "--collected-by", "cm.1",
                                                                          "--municipality", "Troisdorf",
                                                                          "--granted-at", "2099-01-01T00:00:00Z"],
                exit: 3, message: "field \"granted-at\" (2099-01-01T00:00:00Z) lies in the future"),
    ]

    @Test(arguments: badCalls)
    func badCallsExitWithTheirCategoryAndSayWhy(call: BadCall) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let r = try inst.run(call.args)
        #expect(r.exitCode == call.exit, "\(r)")
        #expect(r.stderr.contains(call.message), "\(r)")
        #expect(r.stdout.isEmpty, "nothing on stdout for a failed command: \(r)")
        // Nothing was stored: no consent row (the database may not even exist).
        if FileManager.default.fileExists(atPath: inst.databasePath) {
            #expect(try inst.sqlite("SELECT count(*) FROM consent;") == ["0"])
        }
    }

    @Test func failOnDenyExitsOneAndStillPrintsTheDecision() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        // No consent at all: the jobcenter gets nothing.
        let denied = try inst.check(fields: "name.family,case.id", at: "2026-03-01T10:00:00Z", extra: ["--fail-on-deny"])
        #expect(denied.exitCode == 1, "\(denied)")
        #expect(CLIFixture.field(denied.json, "name.family")?["reason"] as? String == "consent-missing")
        #expect(denied.json?["released"] as? [String] == [])
        // Without the flag the same question is answered with exit 0.
        let plain = try inst.check(fields: "name.family,case.id", at: "2026-03-01T10:00:00Z")
        #expect(plain.exitCode == 0, "\(plain)")
        #expect(try inst.auditKinds() == CLIFixture.openingKinds + ["decision", "decision"])
    }

    @Test func messagesAreGermanByDefaultAndEnglishWithLangEn() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let args = ["check", "--subject", "RSK-2022-000002", "--partner", "jobcenter", "--purpose", "job-placement"]
        let german = try inst.run(args, environment: ["CONSENTGATE_LANG": "", "LANG": "C.UTF-8"])
        #expect(german.exitCode == 2)
        #expect(german.stderr.contains("keine Felder angegeben"), "\(german)")
        let english = try inst.run(args + ["--lang", "en"], environment: ["CONSENTGATE_LANG": "de"])
        #expect(english.exitCode == 2)
        #expect(english.stderr.contains("no fields given"), "\(english)")
        // The human decision table follows the language too.
        let table = try inst.run(["check", "--subject", "RSK-2022-000002", "--partner", "jobcenter", "--purpose", "job-placement",
                                  "--fields", "name.family", "--at", "2026-03-01T10:00:00Z"],
                                 environment: ["CONSENTGATE_LANG": "", "LANG": "C.UTF-8"])
        #expect(table.exitCode == 0, "\(table)")
        #expect(table.stdout.contains("Protokolleintrag \(CLIFixture.openingKinds.count)"), "\(table)")
        #expect(table.stdout.contains("keine passende Einwilligung"), "\(table)")
        let tableEN = try inst.run(["check", "--subject", "RSK-2022-000002", "--partner", "jobcenter", "--purpose", "job-placement",
                                    "--fields", "name.family", "--at", "2026-03-01T10:00:00Z", "--lang", "en"])
        #expect(tableEN.stdout.contains("Audit entry \(CLIFixture.openingKinds.count + 1)") && tableEN.stdout.contains("no consent covers it"), "\(tableEN)")
    }

    /// Every requested field is a line of the append-only log, which the command line and the pages print: an empty
    /// entry, or one with an escape sequence or a text-direction character, is refused before anything is opened.
    @Test("an empty entry in --fields or --field, or one no field can have, is a usage error naming it, not dropped", arguments: [
        (["--fields", "name.family,"], "entry 2 of 2 is empty"),
        (["--fields", "name.family,,case.id"], "entry 2 of 3 is empty"),
        (["--field", ""], "--field: empty field id"),
        (["--field", "name.fa\u{1B}[2Jmily"], "entry 1 of the requested fields: field id contains a control or text-direction character"),
        (["--fields", "case.id,name.family\u{202E}"], "entry 2 of the requested fields: field id contains a control or text-direction character"),
    ])
    func emptyFieldEntries(args: [String], message: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let r = try inst.run(["check", "--subject", "RSK-2022-000002", "--partner", "jobcenter", "--purpose", "job-placement", "--lang", "en"] + args)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains(message), "\(r)")
        #expect(r.stdout.isEmpty, "no decision printed: \(r)")
        #expect(!FileManager.default.fileExists(atPath: inst.databasePath), "refused before the installation was opened")
    }

    @Test("a field named twice is a usage error naming it, in German and English, refused before the installation is opened", arguments: [
        (["--field", "name.family", "--field", "name.family"],
         "field \"name.family\" is requested twice (entries 1 and 2 of the requested fields)",
         "Feld \"name.family\" ist zweimal angefragt (Einträge 1 und 2 der angefragten Felder)"),
        (["--field", "name.family", "--fields", "case.id,name.family"],
         "field \"name.family\" is requested twice (entries 1 and 3 of the requested fields)",
         "Feld \"name.family\" ist zweimal angefragt (Einträge 1 und 3 der angefragten Felder)"),
        (["--fields", "case.id,case.id,case.id"],
         "field \"case.id\" is requested 3 times (entries 1, 2 and 3 of the requested fields)",
         "Feld \"case.id\" ist 3-mal angefragt (Einträge 1, 2 und 3 der angefragten Felder)"),
    ])
    func repeatedFields(args: [String], english: String, german: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let call = ["check", "--subject", "RSK-2022-000002", "--partner", "jobcenter", "--purpose", "job-placement", "--json"] + args
        let en = try inst.run(call + ["--lang", "en"])
        #expect(en.exitCode == 2, "\(en)")
        #expect(en.stderr.contains(english), "\(en)")
        #expect(en.stdout.isEmpty, "no decision printed: \(en)")
        let de = try inst.run(call, environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 2, "\(de)")
        #expect(de.stderr.contains(german), "\(de)")
        #expect(!FileManager.default.fileExists(atPath: inst.databasePath), "refused before the installation was opened")
    }
}
