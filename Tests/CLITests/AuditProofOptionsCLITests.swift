import Foundation
import TestFolders
import Testing

/// `audit prove --index -1` is refused by name (it read "index -1 is not below tree size 421"), and a trusted checkpoint
/// file that cannot be read is named by its path (audit review, session 40, L2, L3).
@Suite struct AuditProofOptionsCLITests {
    @Test(arguments: [(["--index", "-1"], "--index takes an entry index (0 or more), not -1", "--index erwartet einen Eintragsindex (0 oder größer), nicht -1"),
                      (["--index", "0", "--size", "0"], "--size takes a tree size (1 or more), not 0", "--size erwartet eine Baumgröße (1 oder größer), nicht 0")])
    func aNegativeIndexOrEmptySizeIsRefusedByName(_ options: [String], _ en: String, _ de: String) throws {
        let installation = try CLIInstallation()
        defer { installation.remove() }
        try installation.create()
        let english = try installation.run(["audit", "prove"] + options + ["--lang", "en"])
        #expect(english.exitCode == 2 && english.stderr.contains(en), "\(english)")
        let german = try installation.run(["audit", "prove"] + options + ["--lang", "de"])
        #expect(german.exitCode == 2 && german.stderr.contains(de), "\(german)")
    }

    @Test func anUnreadableTrustedCheckpointIsNamedByItsFile() throws {
        let installation = try CLIInstallation()
        defer { installation.remove() }
        try installation.create()
        let note = installation.path("kept-checkpoint.txt")
        try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: note))
        let r = try installation.run(["audit", "verify", "--trusted-checkpoint", note, "--lang", "en"])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("cannot read signed note \(note):"), "\(r)")
        let de = try installation.run(["audit", "verify", "--trusted-checkpoint", note, "--lang", "de"])
        #expect(de.stderr.contains("Signierte Notiz \(note) unlesbar"), "\(de)")
    }
}
