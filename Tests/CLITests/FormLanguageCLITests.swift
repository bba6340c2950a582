import Foundation
import TestFolders
import Testing

/// The command line prints the declaration in a county's language (`consent form --language ar`), prints the built-in
/// wording as the translator's starting point (`consent form-language`), and `policy check` names a mistake in the
/// county's wording by file, line and column.
@Suite struct FormLanguageCLITests {
    let folder: TemporaryDirectory
    let policy: URL

    init() throws {
        folder = try TemporaryDirectory("cg-cli-form-language")
        policy = try ArabicPolicy.make(in: folder.url)
    }

    /// The built-in declarations print byte for byte as before the county's languages existed (SHA-256 of `consent form
    /// --language L` of the shipped policy, taken with the release before, ae3441a). A deliberate change of the shipped
    /// texts or the form changes these: take the new values then, after reading the difference. (Ukrainian: since
    /// 2026-12-07 the clauses' recipients, purposes and data are named in Ukrainian, from the shipped policy's
    /// `form-languages.uk.names`; every other byte as before.)
    @Test(arguments: [("de", "13cd656a2596866fef4d548d6a508868f9f7dc3d598777d6792117d07c3831da"),
                      ("en", "3a584f4e0cfeb73a297467baab08ad968e0d70f0bf804cdc6b5a79489f1e7e10"),
                      ("uk", "b2ea79247e82de22a423aedee61d826eb86c357a9d3706f6f5db7126a24bb1e4")])
    func theBuiltInDeclarationsPrintAsBefore(_ language: String, _ sha256: String) throws {
        let out = folder.url.appendingPathComponent("form-\(language).html").path
        let r = try CLIRunner.run(["consent", "form", "--language", language, "--out", out])
        #expect(r.exitCode == 0, "\(r)")
        let digest = try CLIRunner.runTool("sha256sum", [out])
        #expect(digest.stdout.hasPrefix(sha256 + " "), "\(digest)")
    }

    @Test func theArabicDeclarationPrintsRightToLeft() throws {
        let out = folder.url.appendingPathComponent("form-ar.html").path
        let r = try CLIRunner.run(["consent", "form", "--policy", policy.path, "--language", "ar", "--out", out])
        #expect(r.exitCode == 0, "\(r)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">"))
        #expect(html.contains("<h1>إقرار بالموافقة</h1>") && html.contains("لمدة أقصاها سنتين."))
        // Without the county's wording the shipped policy refuses Arabic, and says where the wording goes.
        let shipped = try CLIRunner.run(["consent", "form", "--language", "ar"])
        #expect(shipped.exitCode == 3, "\(shipped)")
        #expect(shipped.stderr.contains("\"ar\"") && shipped.stderr.contains("form-languages") && shipped.stderr.contains("consentgate consent form-language"))
    }

    /// The starting point loads as the policy's wording of a new language: a county adds a Farsi text to its template,
    /// writes the file, and the Farsi declaration prints (in English words until translated) under `lang="fa"`, right to left.
    @Test func theStartingPointLoadsAndPrints() throws {
        let templates = policy.appendingPathComponent("consent-templates.yaml")
        var text = try String(contentsOf: templates, encoding: .utf8)
        text = text.replacingOccurrences(of: "      ar: {file: texts/kim-beratung.ar.md}\n",
                                         with: "      ar: {file: texts/kim-beratung.ar.md}\n      fa: {file: texts/kim-beratung.fa.md}\n")
        try Data(text.utf8).write(to: templates)
        try Data("# رضایت‌نامه\n\nمتن آزمایشی.\n".utf8).write(to: policy.appendingPathComponent("texts/kim-beratung.fa.md"))
        // A template text without wording loads, but cannot be printed: the wording is what makes it print.
        let refused = try CLIRunner.run(["consent", "form", "--policy", policy.path, "--language", "fa"])
        #expect(refused.exitCode == 3, "\(refused)")
        let file = policy.appendingPathComponent("form-language-fa.yaml").path
        let written = try CLIRunner.run(["consent", "form-language", "--policy", policy.path, "--from", "en", "--as", "fa", "--out", file])
        #expect(written.exitCode == 0, "\(written)")
        let yaml = try String(contentsOfFile: file, encoding: .utf8)
        #expect(yaml.contains("form-languages:\n  \"fa\":\n"))
        #expect(yaml.contains("      title: \"Declaration of consent\"\n"))
        #expect(yaml.contains("    durations:   # a template's max-validity, as the validity sentence says it\n      P2Y: \"2 years\"\n"))
        let check = try CLIRunner.run(["policy", "check", policy.path])
        #expect(check.exitCode == 0, "\(check)")
        let form = try CLIRunner.run(["consent", "form", "--policy", policy.path, "--language", "fa"])
        #expect(form.exitCode == 0, "\(form)")
        #expect(form.stdout.hasPrefix("<!DOCTYPE html>\n<html lang=\"fa\" dir=\"rtl\">"))
        #expect(form.stdout.contains("<h1>Declaration of consent</h1>") && form.stdout.contains("for at most 2 years."))
        // Written again only with --force (nothing half-written, the first file kept).
        let again = try CLIRunner.run(["consent", "form-language", "--policy", policy.path, "--as", "fa", "--out", file])
        #expect(again.exitCode != 0 && again.stderr.contains("--force"), "\(again)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == yaml)
    }

    /// For a language written right to left the starting point says `direction: rtl` (the loader insists on it).
    @Test func theStartingPointOfARightToLeftLanguageSaysSo() throws {
        let r = try CLIRunner.run(["consent", "form-language", "--from", "en", "--as", "fa"])
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("\n    direction: rtl\n"), "\(r.stdout)")
        let same = try CLIRunner.run(["consent", "form-language", "--from", "uk"])
        #expect(same.stdout.contains("\n    direction: ltr\n") && same.stdout.contains("name: {de: \"Ukrainisch\", en: \"Ukrainian\"}"), "\(same.stdout)")
    }

    @Test(arguments: [(["--as", "Farsi"], 2, "`Farsi` is not a language code"), (["--from", "fr"], 2, "--from: `fr` has no built-in wording (built in: de, en, uk)")])
    func aWrongLanguageIsRefused(_ arguments: [String], _ exitCode: Int32, _ message: String) throws {
        let r = try CLIRunner.run(["consent", "form-language"] + arguments)
        #expect(r.exitCode == exitCode, "\(r)")
        #expect(r.stderr.contains(message), "\(r)")
        #expect(r.stdout.isEmpty)
    }

    @Test func policyCheckNamesTheMistakeInTheWording() throws {
        let file = policy.appendingPathComponent(ArabicPolicy.wordingFile)
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "لمدة أقصاها %@.", with: "لمدة أقصاها.")
        try Data(text.utf8).write(to: file)
        let r = try CLIRunner.run(["policy", "check", policy.path])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("\(ArabicPolicy.wordingFile):22:"), "\(r)")
        #expect(r.stderr.contains("form-languages.ar.texts.validity: the placeholder `%@` is missing"), "\(r)")
    }
}
