import Diagnostics
import Foundation
import Testing
@testable import DriveExport

/// A list's header cells are named in errors as read, but with control and direction characters escaped: an export probe
/// put `ESC [2J`, an OSC title sequence with BEL, and a NUL into a header, and the unknown-column error carried them raw to
/// the operator's terminal and log. Row cells were never echoed; header cells now are only escaped.
@Suite struct HeaderEchoTests {
    @Test(arguments: [("Vor\u{1B}[2J\u{1B}]0,PWNED\u{07}name", "Vor\\u{1B}[2J\\u{1B}]0,PWNED\\u{07}name"),
                      ("Nach\u{0}name", "Nach\\0name"), ("Name\u{202E}txt", "Name\\u{202E}txt")])
    func anUnknownHeaderIsShownEscaped(_ header: String, _ shown: String) throws {
        let inst = try ExportHarness.open("header-echo")
        defer { inst.remove() }
        var lines = try String(contentsOfFile: ExportHarness.sample, encoding: .utf8).components(separatedBy: "\r\n")
        lines[0] = lines[0].replacingOccurrences(of: "Vorname;", with: header + ";")
        let list = inst.dir + "/list.csv"
        try Data(lines.prefix(3).joined(separator: "\r\n").appending("\r\n").utf8).write(to: URL(fileURLWithPath: list))
        do {
            _ = try inst.run(list)
            Issue.record("the list was read")
        } catch let error as DriveExportError {
            for language in [Language.de, .en] {
                let message = error.message(in: language)
                #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.value == 0x202E }, "\(message)")
                #expect(message.contains(shown), "\(message)")
            }
        }
    }
}
