import Foundation
import Testing

/// The `consentgate …` commands the documentation shows must exist as written: every subcommand, and every
/// `--option` named on such a line, must appear in that (sub)command's `--help`. A reader copies these lines; an
/// option renamed in the code but not in the README fails at the reader's terminal with "unknown option" (exit 2).
///
/// The commands are taken from the code blocks of README.md and docs/*.md, fenced (```` ``` ````, `~~~`) and
/// indented alike (the README uses indented blocks), including `swift run consentgate …` and
/// `.build/debug/consentgate …`; a line ending in `\`, or a following line of a synopsis that starts with `[`,
/// `(`, `+` or `--`, continues the command. Everything after a shell operator (`>`, `|` outside brackets, `&&`,
/// `;`, `#`) is not part of the command. Inline code spans that start with `consentgate ` count too; `…` for the
/// subcommand (`consentgate audit … --key FILE`) asks that some subcommand of the group has each option.
/// Options are read only where a help screen defines them (its USAGE line and option lines), so an option merely
/// mentioned in another option's help does not count as existing.
@Suite struct DocumentedCommandsCLITests {

    /// One documented invocation: where it stands and its words after `consentgate`.
    struct Invocation: Sendable, CustomTestStringConvertible {
        let file: String
        let line: Int
        let words: [String]
        var testDescription: String { "\(file):\(line): consentgate \(words.joined(separator: " "))" }
    }

    /// The files whose code blocks are checked, relative to the package root.
    static let files: [String] = {
        let docs = CLIRunner.packageRoot.appendingPathComponent("docs")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
        return ["README.md"] + names.map { "docs/" + $0 }
    }()

    // MARK: Extraction

    /// The code blocks of a Markdown text (CommonMark: fenced and indented), each as its lines with the number of
    /// the first one (1-based).
    static func codeBlocks(_ markdown: String) -> [(firstLine: Int, lines: [String])] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [(Int, [String])] = []
        var i = 0
        var previousBlank = true
        var inList = false
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let fence = ["```", "~~~"].first(where: { trimmed.hasPrefix($0) }) {
                var body: [String] = []
                var j = i + 1
                while j < lines.count, !lines[j].trimmingCharacters(in: .whitespaces).hasPrefix(fence) {
                    body.append(lines[j]); j += 1
                }
                blocks.append((i + 2, body))
                i = j + 1; previousBlank = false
                continue
            }
            // An indented block starts after a blank line, outside a list item (whose continuation is indented too).
            if line.hasPrefix("    ") && previousBlank && !inList {
                var body: [String] = []
                var j = i
                while j < lines.count, lines[j].hasPrefix("    ") || lines[j].trimmingCharacters(in: .whitespaces).isEmpty {
                    body.append(String(lines[j].dropFirst(min(4, lines[j].count)))); j += 1
                }
                blocks.append((i + 1, body))
                i = j; previousBlank = true
                continue
            }
            if trimmed.isEmpty {
                previousBlank = true
            } else {
                if !line.hasPrefix(" ") { inList = trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || trimmed.first?.isNumber == true && trimmed.contains(". ") }
                previousBlank = false
            }
            i += 1
        }
        return blocks
    }

    /// The `consentgate` invocations of the code blocks of `markdown`, and of its inline code spans that start with
    /// `consentgate ` (`` `consentgate audit verify [--trusted-checkpoint FILE]` `` in a sentence).
    static func invocations(in markdown: String, file: String) -> [Invocation] {
        var found: [Invocation] = []
        for (index, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let parts = line.split(separator: "`", omittingEmptySubsequences: false)
            // Odd-numbered parts lie between backticks.
            for (k, part) in parts.enumerated() where k % 2 == 1 && part.hasPrefix("consentgate ") && k < parts.count - 1 {
                if let words = commandWords(String(part)) {
                    found.append(Invocation(file: file, line: index + 1, words: words))
                }
            }
        }
        for block in codeBlocks(markdown) {
            var k = 0
            while k < block.lines.count {
                let lineNumber = block.firstLine + k
                var text = block.lines[k]
                guard commandWords(text) != nil else { k += 1; continue }
                // Continuations: a trailing backslash, or synopsis lines that go on with options.
                while k + 1 < block.lines.count {
                    let next = block.lines[k + 1].trimmingCharacters(in: .whitespaces)
                    if text.hasSuffix("\\") {
                        text = String(text.dropLast()) + " " + next
                    } else if ["[", "(", "+", "--"].contains(where: { next.hasPrefix($0) }) {
                        text += " " + next
                    } else {
                        break
                    }
                    k += 1
                }
                found.append(Invocation(file: file, line: lineNumber, words: commandWords(text) ?? []))
                k += 1
            }
        }
        return found
    }

    /// The words after `consentgate` on a shell line (nil when the line runs no `consentgate`), up to the first shell
    /// operator. Brackets and braces of a synopsis are dropped from the words; `|` inside brackets is an alternative.
    static func commandWords(_ line: String) -> [String]? {
        let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let start = tokens.firstIndex(where: { $0 == "consentgate" || $0.hasSuffix("/consentgate") }) else { return nil }
        // Only a command position: first word, or after `swift run`, `$`, `env VAR=…`, `VAR=…`.
        let commandStart = (tokens[..<start].lastIndex { ["&&", "||", ";", "|"].contains($0) }).map { $0 + 1 } ?? 0
        guard tokens[commandStart..<start].allSatisfy({ ["swift", "run", "$", "env"].contains($0) || $0.contains("=") })
        else { return nil }
        var words: [String] = []
        var depth = 0
        for token in tokens[(start + 1)...] {
            if depth == 0, [">", ">>", "2>", "2>>", "|", "&&", "||", ";", "#", "<"].contains(token) || token.hasPrefix("#") { break }
            depth += token.filter { "[(".contains($0) }.count - token.filter { "])".contains($0) }.count
            depth = max(depth, 0)
            // `…` alone stands for any subcommand (`consentgate audit … --key FILE`); kept as a word.
            let word = token == "…" ? token : token.trimmingCharacters(in: CharacterSet(charactersIn: "[](){}…,"))
            if !word.isEmpty && word != "|" && word != "+" { words.append(word) }
        }
        return words
    }

    // MARK: Help

    /// What `consentgate <path> --help` shows: its subcommands and its options.
    struct Help: Sendable {
        let subcommands: Set<String>
        let options: Set<String>
    }

    /// Help screens by command path, each read once.
    final class HelpCache: @unchecked Sendable {
        private var screens: [[String]: Help] = [:]
        private let lock = NSLock()
        func help(_ path: [String]) throws -> Help {
            if let h = lock.withLock({ screens[path] }) { return h }
            let r = try CLIRunner.run(path + ["--help"], environment: ["CONSENTGATE_LANG": "en"], timeout: 30)
            #expect(r.exitCode == 0, "consentgate \(path.joined(separator: " ")) --help: \(r)")
            let h = DocumentedCommandsCLITests.parseHelp(r.stdout)
            lock.withLock { screens[path] = h }
            return h
        }
    }

    /// The subcommand names (from the `SUBCOMMANDS:` section) and every `--option` of a help screen.
    static func parseHelp(_ text: String) -> Help {
        var subcommands: Set<String> = []
        var inSubcommands = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") { inSubcommands = true; continue }
            if inSubcommands {
                if line.isEmpty || !line.hasPrefix(" ") { if !line.hasPrefix(" ") && !line.isEmpty { inSubcommands = false }; continue }
                let name = line.split(separator: " ").first.map(String.init) ?? ""
                if !name.isEmpty, name.first?.isLetter == true { subcommands.insert(name) }
            }
        }
        // Options only where the help defines them: the USAGE line and the name part of each option line
        // (`  --policy <policy>   Policy bundle folder.`), never an option another text merely mentions.
        var options: Set<String> = []
        for line in text.split(separator: "\n").map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let definition: String
            if trimmed.hasPrefix("USAGE:") {
                definition = trimmed
            } else if trimmed.hasPrefix("-") {
                definition = trimmed.components(separatedBy: "  ").first ?? trimmed
            } else {
                continue
            }
            options.formUnion(optionNames(in: definition))
        }
        return Help(subcommands: subcommands, options: options)
    }

    /// Every `--name` in a text.
    static func optionNames(in text: String) -> Set<String> {
        var names: Set<String> = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i + 2 < scalars.count {
            if scalars[i] == "-", scalars[i + 1] == "-", i == 0 || !isOptionScalar(scalars[i - 1]) {
                var j = i + 2
                while j < scalars.count, isOptionScalar(scalars[j]) { j += 1 }
                if j > i + 2 { names.insert(String(String.UnicodeScalarView(scalars[i..<j]))) }
                i = j
            } else {
                i += 1
            }
        }
        return names
    }

    static func isOptionScalar(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "-"
    }

    /// The problems of one invocation: a subcommand that does not exist, an option its command's help does not list.
    static func problems(_ words: [String], cache: HelpCache) throws -> [String] {
        var path: [String] = []
        var help = try cache.help(path)
        var rest = words[...]
        // Descend while the command has subcommands. Alternatives (`generate|list`) are each checked.
        while !help.subcommands.isEmpty, let next = rest.first, !next.hasPrefix("-") {
            if next == "…" {
                // Any subcommand: each option must be one of some subcommand of this group.
                var found: [String] = []
                let helps = try help.subcommands.sorted().map { try cache.help(path + [$0]) }
                for word in rest.dropFirst() where word.hasPrefix("--") {
                    let option = String(word.prefix { $0 != "=" })
                    if !helps.contains(where: { $0.options.contains(option) }) {
                        found.append("no subcommand of `consentgate \(path.joined(separator: " "))` has the option \(option)")
                    }
                }
                return found
            }
            let alternatives = next.split(separator: "|").map(String.init)
            let unknown = alternatives.filter { !help.subcommands.contains($0) }
            if !unknown.isEmpty {
                return ["`consentgate \((path + [next]).joined(separator: " "))`: no subcommand \(unknown.joined(separator: ", ")) "
                        + "(has: \(help.subcommands.sorted().joined(separator: ", ")))"]
            }
            rest = rest.dropFirst()
            if alternatives.count > 1 {
                var all: [String] = []
                for alternative in alternatives { all += try problems(path + [alternative] + Array(rest), cache: cache) }
                return all
            }
            path.append(next)
            help = try cache.help(path)
        }
        var found: [String] = []
        for word in rest where word.hasPrefix("--") {
            let option = String(word.prefix { $0 != "=" })
            guard option.dropFirst(2).allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), option.count > 2 else { continue }
            if !help.options.contains(option) {
                found.append("`consentgate \(path.joined(separator: " "))` has no option \(option)")
            }
        }
        return found
    }

    // MARK: Tests

    static let cache = HelpCache()

    static func documented() throws -> [Invocation] {
        try files.flatMap { file in
            let text = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent(file), encoding: .utf8)
            return invocations(in: text, file: file)
        }
    }

    @Test("every consentgate command in the README's and docs' code names existing subcommands and options")
    func documentedCommandsExist() throws {
        let all = try Self.documented()
        // The README's commands are the ones the readers copy first; they must all be found.
        let readme = all.filter { $0.file == "README.md" }
        #expect(readme.count >= 14, "README commands found: \(readme.map(\.testDescription))")
        #expect(readme.contains { $0.words.starts(with: ["export", "--demo", "--input"]) }, "\(readme.map(\.testDescription))")
        // The synopses of docs/ (export, keys, serve, users, policy diff) are found as well.
        #expect(all.count - readme.count >= 13, "\(all.map(\.testDescription))")
        for invocation in all {
            let problems = try Self.problems(invocation.words, cache: Self.cache)
            #expect(problems.isEmpty, "\(invocation.testDescription): \(problems.joined(separator: "; "))")
        }
    }

    /// The check itself must fail for a doc that names what does not exist (else it proves nothing).
    @Test("the check finds an unknown option, an unknown subcommand, and an option of another subcommand")
    func checkFindsWhatDoesNotExist() throws {
        let markdown = """
            Run it:

                swift run consentgate export --demo --input list.csv --drive data/drive --no-such-option

            ```sh
            consentgate polcy check policies/kim-rhein-sieg
            consentgate audit report --demo --subject S \\
                --partner jobcenter
            consentgate keys list [--at T] [--trust FILE]
                                  [--json] [--bogus X]
            ```

            In a sentence: `consentgate audit … --key FILE --bogus-key` and `consentgate keys lst`, not `keys list --bogus`.
            """
        let found = Self.invocations(in: markdown, file: "test.md").sorted { ($0.line, $0.words.count) < ($1.line, $1.words.count) }
        #expect(found.map(\.line) == [3, 6, 7, 9, 13, 13], "\(found.map(\.testDescription))")
        let problems = try found.map { try Self.problems($0.words, cache: Self.cache) }
        #expect(problems[0] == ["`consentgate export` has no option --no-such-option"], "\(problems)")
        #expect(problems[1].count == 1 && problems[1][0].contains("no subcommand polcy"), "\(problems)")
        #expect(problems[2] == ["`consentgate audit report` has no option --partner"], "\(problems)")
        #expect(problems[3] == ["`consentgate keys list` has no option --bogus"], "\(problems)")
        #expect(problems[4].count == 1 && problems[4][0].contains("no subcommand lst"), "\(problems)")
        #expect(problems[5] == ["no subcommand of `consentgate audit` has the option --bogus-key"], "\(problems)")
    }
}
