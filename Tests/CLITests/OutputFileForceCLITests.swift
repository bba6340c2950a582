import Foundation
import Testing

/// A file a command writes where the user says (`consent form --out`, `consent export --out DIR`, `keys sign --out`,
/// `audit report|stats --output`) does not replace an existing file unless `--force` is given: exit 2 naming the file,
/// in German and English, with the file as it was. With `--force` it is replaced atomically (no temporary file left).
/// Before, each of them replaced the file silently.
@Suite struct OutputFileForceCLITests {
    /// The commands, by a short name.
    static let commands = ["consent form", "consent export", "keys sign", "audit report", "audit stats"]

    /// The arguments of `command` writing to `target` (a file, or for `consent export` the folder), and the file that
    /// must not be replaced.
    static func arguments(_ command: String, inst: CLIInstallation, target: String) throws -> (args: [String], file: String) {
        switch command {
        case "consent form":
            return (["consent", "form", "--out", target], target)
        case "consent export":
            let (grant, json) = try inst.grant()
            try #require(grant.exitCode == 0, "\(grant)")
            let id = try #require(json["id"] as? String)
            return (["consent", "export", id, "--out", target, "--demo", "--db", inst.databasePath],
                    (target as NSString).appendingPathComponent("consent-\(id).jws.json"))
        case "keys sign":
            let list = try CLIRunner.run(["keys", "list", "--json"])
            let keys = try #require(list.json?["keys"] as? [[String: Any]], "\(list)")
            let kid = try #require(keys.first { $0["public-key"] as? String == "demo/consent-signer.pub.pem" }?["kid"] as? String)
            return (["keys", "sign", "--demo", "--key", kid, "--in", "README.md", "--out", target], target)
        default:
            let (grant, _) = try inst.grant()
            try #require(grant.exitCode == 0, "\(grant)")
            let extra = command == "audit report" ? ["--subject", CLIFixture.subject] : []
            return (command.split(separator: " ").map(String.init) + extra + ["--output", target, "--demo", "--db", inst.databasePath], target)
        }
    }

    @Test(arguments: commands)
    func anExistingFileIsReplacedOnlyWithForce(command: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let outFolder = inst.path("out")
        try FileManager.default.createDirectory(atPath: outFolder, withIntermediateDirectories: true)
        let target = command == "consent export" ? outFolder : (outFolder as NSString).appendingPathComponent("result")
        let (args, file) = try Self.arguments(command, inst: inst, target: target)
        let before = Data("kept\n".utf8)
        try before.write(to: URL(fileURLWithPath: file))

        let en = try CLIRunner.run(args)
        #expect(en.exitCode == 2, "\(command): \(en)")
        #expect(en.stderr.contains(file) && en.stderr.contains("exists already") && en.stderr.contains("--force"), "\(command): \(en)")
        let de = try CLIRunner.run(args, environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 2, "\(command): \(de)")
        #expect(de.stderr.contains(file) && de.stderr.contains("gibt es schon"), "\(command): \(de)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before, "\(command) replaced the file")

        let forced = try CLIRunner.run(args + ["--force"])
        #expect(forced.exitCode == 0, "\(command): \(forced)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) != before, "\(command) did not write")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: outFolder).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(command): \(leftovers)")
    }

    @Test(arguments: commands)
    func aNewFileNeedsNoForce(command: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let target = command == "consent export" ? inst.path("new") : inst.path("new-result")
        let (args, file) = try Self.arguments(command, inst: inst, target: target)
        let r = try CLIRunner.run(args)
        #expect(r.exitCode == 0, "\(command): \(r)")
        #expect(FileManager.default.fileExists(atPath: file), "\(command)")
    }
}
