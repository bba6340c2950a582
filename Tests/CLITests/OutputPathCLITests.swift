import Foundation
import TestFolders
import Testing

/// A path option given empty, or naming a folder where a file is written (or a file where a folder is), is a usage error
/// (exit 2) that names the option, before anything is opened or written. Found in a review of the command line: `--out ""`
/// was a storage failure (exit 5, "cannot write : create …"), `--in ""` read ": cannot be read: no such file", a folder
/// as `--out` said "exists already" and with `--force` failed with exit 5, a file as `consent export --out` said "create
/// folder: already exists (errno 17)".
@Suite struct OutputPathCLITests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// The arguments; `{dir}` is a folder that exists, `{file}` a file that exists.
        let args: [String]
        let en: String
        let de: String
        var testDescription: String { name }
    }

    static let kid = "{kid}"
    static let cases: [Case] = [
        Case(name: "keys sign --out empty", args: ["keys", "sign", "--demo", "--key", kid, "--in", "{file}", "--out", ""],
             en: "--out is empty: please give a file", de: "--out ist leer: bitte eine Datei angeben"),
        Case(name: "keys sign --out a folder", args: ["keys", "sign", "--demo", "--key", kid, "--in", "{file}", "--out", "{dir}"],
             en: "--out: {dir} is a folder; please give a file", de: "--out: {dir} ist ein Ordner; bitte eine Datei angeben"),
        Case(name: "keys sign --out a folder, --force", args: ["keys", "sign", "--demo", "--key", kid, "--in", "{file}", "--out", "{dir}", "--force"],
             en: "--out: {dir} is a folder; please give a file", de: "--out: {dir} ist ein Ordner"),
        Case(name: "keys sign --in empty", args: ["keys", "sign", "--demo", "--key", kid, "--in", "", "--out", "{dir}/x.sig"],
             en: "--in is empty: please give a file", de: "--in ist leer: bitte eine Datei angeben"),
        Case(name: "keys verify --sig empty", args: ["keys", "verify", "--demo", "--key", kid, "--in", "{file}", "--sig", ""],
             en: "--sig is empty: please give a file", de: "--sig ist leer"),
        Case(name: "consent export --out empty", args: ["consent", "export", "--demo", "--db", "{dir}/cg.sqlite", "0f8e4a52-5a0b-4c3e-9d5e-2b7f1c9a6d40", "--out", ""],
             en: "--out is empty: please give a folder", de: "--out ist leer: bitte einen Ordner angeben"),
        Case(name: "consent export --out a file", args: ["consent", "export", "--demo", "--db", "{dir}/cg.sqlite", "0f8e4a52-5a0b-4c3e-9d5e-2b7f1c9a6d40", "--out", "{file}"],
             en: "--out: {file} is a file, not a folder", de: "--out: {file} ist eine Datei, kein Ordner"),
        Case(name: "audit report --output empty", args: ["audit", "report", "--demo", "--db", "{dir}/cg.sqlite", "--subject", "RSK-2022-000001", "--output", ""],
             en: "--output is empty", de: "--output ist leer"),
        Case(name: "audit report --output a folder", args: ["audit", "report", "--demo", "--db", "{dir}/cg.sqlite", "--subject", "RSK-2022-000001", "--output", "{dir}", "--force"],
             en: "--output: {dir} is a folder", de: "--output: {dir} ist ein Ordner"),
    ]

    @Test(arguments: cases)
    func aPathOptionThatCannotBeMeantIsAUsageError(_ c: Case) throws {
        let folder = try TemporaryDirectory("cli-output-path")
        let dir = folder.path + "/target"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = folder.path + "/message.txt"
        try Data("Registrierungsliste\n".utf8).write(to: URL(fileURLWithPath: file))
        let list = try CLIRunner.run(["keys", "list", "--json"])
        let keys = try #require(list.json?["keys"] as? [[String: Any]], "\(list)")
        let kid = try #require(keys.first { $0["public-key"] as? String == "demo/consent-signer.pub.pem" }?["kid"] as? String)
        func filled(_ s: String) -> String {
            s.replacingOccurrences(of: "{dir}", with: dir).replacingOccurrences(of: "{file}", with: file).replacingOccurrences(of: "{kid}", with: kid)
        }
        let args = c.args.map(filled)
        let en = try CLIRunner.run(args, environment: ["CONSENTGATE_LANG": "en"])
        #expect(en.exitCode == 2, "\(en)")
        #expect(en.stderr.contains(filled(c.en)), "\(en.stderr)")
        let de = try CLIRunner.run(args, environment: ["CONSENTGATE_LANG": "de"])
        #expect(de.exitCode == 2 && de.stderr.contains(filled(c.de)), "\(de.stderr)")
        // Nothing written into the folder, no database made for a refused command.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(left.isEmpty, "\(left)")
    }
}
