import ChildProcess
import Foundation
import Gate
import TestFolders
import Testing

/// `consentgate users disable` refuses the last active administrator: the message in the user's language on
/// standard error, exit 3 (CONTRACTS §8), the account unchanged.
@Suite struct LastAdminCommandTests {
    /// The test's folder (removed with the suite instance after the test, also when it failed or threw).
    let folder: TemporaryDirectory
    var directory: URL { folder.url }
    var db: String { directory.appendingPathComponent("cg.sqlite").path }

    init() throws {
        folder = try TemporaryDirectory("cg-lastadmin")
    }

    @Test func lastAdminIsRefusedWithExit3() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandTests.binary.path), "build first: swift build --build-tests")
        defer { try? FileManager.default.removeItem(at: directory) }
        let add = try CommandTests.run(["users", "add", "--demo", "--db", db, "--name", "root", "--role", "admin"])
        #expect(add.status == 0, "\(add.err)")
        let de = try CommandTests.run(["users", "disable", "--demo", "--db", db, "root"], environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.status == 3, "\(de.err)")
        #expect(de.err.contains("letzte aktive Administrationskonto") && de.out.isEmpty, "\(de.err)")
        let en = try CommandTests.run(["users", "disable", "--demo", "--db", db, "root", "--lang", "en"])
        #expect(en.status == 3 && en.err.contains("last active administrator") && !en.err.contains("Konto"), "\(en.err)")
        #expect(try AccountStore(database: try AppDatabase.open(path: db)).account(named: "root")?.isActive == true)
        // With a second administrator the first may go.
        #expect(try CommandTests.run(["users", "add", "--demo", "--db", db, "--name", "root2", "--role", "admin"]).status == 0)
        let ok = try CommandTests.run(["users", "disable", "--demo", "--db", db, "root"], environment: ["CONSENTGATE_LANG": "en"])
        #expect(ok.status == 0 && ok.out == "account root disabled\n", "\(ok.err)")
    }
}
