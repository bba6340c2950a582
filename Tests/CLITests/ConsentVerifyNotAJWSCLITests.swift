import Foundation
import Testing

/// `consent verify FILE` and `consent import FILE` of a file that is not a JWS at all (not JSON, or JSON that is not an
/// object with `protected`, `payload` and `signature`) is invalid input (exit 3) naming the file, in German and English:
/// the wrong file was given. It used to be exit 4, the code of a document whose signature or integrity fails, which
/// stays for a JWS-shaped document that does not verify (`ConsentDocumentsCLITests`).
@Suite struct ConsentVerifyNotAJWSCLITests {
    /// The files under `Fixtures/not-a-jws/`, each with what the message must say about it.
    static let cases: [(file: String, reason: String)] = [
        ("compact.jws", "not JSON"),
        ("empty.json", "not JSON"),
        ("scan-note.txt", "not JSON"),
        ("truncated.json", "not JSON"),
        ("array.json", "JSON, but not an object"),
        ("object-without-members.json", "a JSON object without protected, payload, signature"),
        // A JWS a Windows editor saved with a byte order mark, or as UTF-16, is named as such ("not JSON at byte 0" before),
        // and JSON nested more deeply than a JWS can be is invalid input as an array is (it was exit 4).
        ("bom.json", "starts with a byte order mark (a UTF-8 BOM, added by an editor): save the file without a BOM"),
        ("utf16.json", "is UTF-16 text (saved so by an editor): save the file as UTF-8 without a BOM"),
        ("deep.json", "JSON, but nested more deeply than a JWS at byte 5"),
    ]

    static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent("not-a-jws/" + name).path
    }

    @Test(arguments: cases)
    func verifyAndImportCallItInvalidInputNamingTheFile(file: String, reason: String) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        try inst.create()
        let path = try Self.fixture(file)
        for command in ["verify", "import"] {
            let en = try inst.run(["consent", command, path])
            #expect(en.exitCode == 3, "\(command) \(file): \(en)")
            #expect(en.stderr.contains(path) && en.stderr.contains("not a consent or withdrawal") && en.stderr.contains(reason),
                    "\(command) \(file): \(en)")
            #expect(en.stdout.isEmpty, "\(en)")
            let de = try inst.run(["consent", command, path, "--lang", "de"])
            #expect(de.exitCode == 3, "\(command) \(file): \(de)")
            #expect(de.stderr.contains(path) && de.stderr.contains("keine Einwilligung und kein Widerruf (erwartet: eine JWS in flacher JSON-Serialisierung") && !de.stderr.contains("flattened"), "\(command) \(file): \(de)")
        }
        #expect(try inst.sqlite("SELECT count(*) FROM consent;") == ["0"])
    }
}
