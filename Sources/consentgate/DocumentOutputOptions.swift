import ArgumentParser

/// `--out FILE` and `--force` of the commands that print a document a person keeps (the declaration, the form's wording
/// to translate): written atomically, an existing file replaced only with `--force`, else printed to standard output.
struct DocumentOutputOptions: ParsableArguments {
    @Option(help: HelpText.help("Write to this file (atomically) instead of standard output; an existing file only with --force.",
                                de: "In diese Datei schreiben (atomar) statt auf die Standardausgabe; eine vorhandene Datei nur mit --force."))
    var out: String?
    @Flag(help: HelpText.help("Replace an existing --out file.", de: "Eine vorhandene --out-Datei ersetzen."))
    var force = false

    /// Refuses an existing `--out` file without `--force`, before any work is done.
    func refuseExisting() throws { if let out { try OutputFile.refuseExisting(out, force: force, option: "--out") } }

    /// Writes `text` to `--out`, or prints it.
    func write(_ text: String) throws {
        if let out {
            try OutputFile.write(Array(text.utf8), to: out, mode: 0o644, force: force, option: "--out")
        } else {
            print(text, terminator: "")
        }
    }
}
