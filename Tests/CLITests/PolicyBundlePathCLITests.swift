import Foundation
import TestFolders
import Testing

/// `policy check` (and every policy command) of a path that is no bundle folder says which mistake it is: an empty
/// path (exit 2), a folder that does not exist, a file given for the folder (often `policy.yaml` itself) (exit 3). All
/// three read "`policy.yaml` is missing in …" before, the empty one naming the current folder (a review).
@Suite struct PolicyBundlePathCLITests {
    @Test(arguments: [
        ("", 2, "the bundle folder is given empty", "Der Ordner des Richtlinienpakets ist leer angegeben"),
        ("{tmp}/nowhere", 3, "not a policy bundle: there is no folder {tmp}/nowhere", "kein Richtlinienpaket: den Ordner {tmp}/nowhere gibt es nicht"),
        ("{root}/policies/kim-rhein-sieg/policy.yaml", 3, "not a policy bundle: {root}/policies/kim-rhein-sieg/policy.yaml is a file; please give the bundle's folder ({root}/policies/kim-rhein-sieg)",
         "ist eine Datei; bitte den Ordner des Pakets angeben ({root}/policies/kim-rhein-sieg)"),
        ("{tmp}", 3, "not a policy bundle: `policy.yaml` is missing in {tmp}", "kein Richtlinienpaket: `policy.yaml` fehlt in {tmp}"),
    ])
    func aPathThatIsNoBundleFolderIsNamedAsSuch(_ path: String, _ code: Int32, _ en: String, _ de: String) throws {
        let folder = try TemporaryDirectory("cli-policy-path")
        func filled(_ s: String) -> String {
            s.replacingOccurrences(of: "{tmp}", with: folder.path).replacingOccurrences(of: "{root}", with: CLIRunner.packageRoot.path)
        }
        for command in ["check", "test"] {
            let english = try CLIRunner.run(["policy", command, filled(path)], environment: ["CONSENTGATE_LANG": "en"])
            #expect(english.exitCode == code && english.stderr.contains(filled(en)), "\(command): \(english)")
            let german = try CLIRunner.run(["policy", command, filled(path)], environment: ["CONSENTGATE_LANG": "de"])
            #expect(german.exitCode == code && german.stderr.contains(filled(de)), "\(command): \(german)")
        }
    }
}

/// `policy diff` with one side given empty says which side, as it does for a side that does not load (a review of
/// session 38: "the bundle folder is given empty" did not say whether the old or the new one).
@Suite struct PolicyDiffEmptySideCLITests {
    @Test(arguments: [(true, "Old bundle", "Altes Paket"), (false, "New bundle", "Neues Paket")])
    func theEmptySideIsNamed(_ oldEmpty: Bool, _ en: String, _ de: String) throws {
        let bundle = CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg").path
        let arguments = ["policy", "diff"] + (oldEmpty ? ["", bundle] : [bundle, ""])
        let english = try CLIRunner.run(arguments, environment: ["CONSENTGATE_LANG": "en"])
        #expect(english.exitCode == 2 && english.stderr.contains("\(en): the bundle folder is given empty"), "\(english)")
        let german = try CLIRunner.run(arguments, environment: ["CONSENTGATE_LANG": "de"])
        #expect(german.exitCode == 2 && german.stderr.contains("\(de): Der Ordner des Richtlinienpakets ist leer angegeben"), "\(german)")
    }
}
