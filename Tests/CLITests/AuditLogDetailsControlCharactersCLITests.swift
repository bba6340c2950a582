import Foundation
import TestFolders
import Testing

/// `audit log`'s table has one line per entry and tab-separated columns. Its details column (new on 2026-12-05) shows an
/// `audit-read` entry's filters as they were given, and a filter is any text (a query parameter of `GET
/// /v1/audit/entries`, an option of `audit log`): a line break and a tab in one printed a second line that read as an
/// entry of its own (index, time, kind, …) the log does not hold. Control characters are now printed escaped.
@Suite struct AuditLogDetailsControlCharactersCLITests {
    @Test func aFilterCannotPrintALineOfItsOwn() throws {
        let folder = try TemporaryDirectory("cli-audit-log-details")
        let db = ["--demo", "--db", folder.path + "/cg.sqlite"]
        let add = try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin"] + db)
        #expect(add.exitCode == 0, "\(add)")
        // A purpose is free text (a subject must be a case id); no entry carries it, so the command ends with exit 3, but
        // the read was logged with the filter as given.
        let forged = try CLIRunner.run(["audit", "log", "--purpose", "x\n4711\t2026-12-05T10:00:00Z\tdisclosure"] + db)
        #expect(forged.exitCode == 3, "\(forged)")

        let table = try CLIRunner.run(["audit", "log", "--kind", "audit-read"] + db)
        #expect(table.exitCode == 0, "\(table)")
        let lines = table.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(lines.count == 2, "the header and the one audit-read entry: \(lines)")
        #expect(!lines.contains { $0.hasPrefix("4711") }, "\(table.stdout)")
        #expect(lines.allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 8 }, "\(lines)")
        #expect(table.stdout.contains(#"purpose=x\n4711\t2026-12-05T10:00:00Z\tdisclosure"#), "\(table.stdout)")
    }
}
