import Foundation

/// The small part of Markdown the template texts use, rendered to HTML: headings (`#` … `###`), paragraphs
/// (blank-line separated), bullet lists (`-` or `*`; an indented line continues the item above), numbered lists
/// (`1.`), and `**bold**`. Every piece of
/// text is escaped first (by `escape`, which may also mark words of another language, `LanguageSpans`), so no markup
/// in a template text can reach the page as HTML.
enum MarkdownLite {
    static func html(_ markdown: String, escape: (String) -> String = esc) -> String {
        func inline(_ text: String) -> String { MarkdownLite.inline(text, escape: escape) }
        var out = ""
        var paragraph: [String] = []
        var list: (tag: String, items: [String])?

        func flushParagraph() {
            if !paragraph.isEmpty { out += "<p>\(inline(paragraph.joined(separator: " ")))</p>\n" }
            paragraph = []
        }
        func flushList() {
            if let l = list { out += "<\(l.tag)>" + l.items.map { "<li>\(inline($0))</li>" }.joined() + "</\(l.tag)>\n" }
            list = nil
        }

        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { flushParagraph(); flushList(); continue }
            // An indented line under a list item continues that item (the templates wrap long items so); it was
            // cut out of the list as a paragraph of its own, splitting every wrapped item of a printed declaration.
            if let first = raw.first, first == " " || first == "\t", var l = list, !l.items.isEmpty {
                l.items[l.items.count - 1] += " " + line
                list = l
                continue
            }
            if let level = headingLevel(line) {
                flushParagraph(); flushList()
                let tag = "h\(min(level + 1, 4))"
                out += "<\(tag)>\(inline(String(line.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces)))</\(tag)>\n"
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                flushParagraph()
                if list?.tag != "ul" { flushList(); list = ("ul", []) }
                list!.items.append(String(line.dropFirst(2)))
            } else if let item = numberedItem(line) {
                flushParagraph()
                if list?.tag != "ol" { flushList(); list = ("ol", []) }
                list!.items.append(item)
            } else {
                flushList()
                paragraph.append(line)
            }
        }
        flushParagraph(); flushList()
        return out
    }

    private static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    private static func numberedItem(_ line: String) -> String? {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") else { return nil }
        return String(line.dropFirst(digits.count + 2))
    }

    /// Escapes (with `escape`), then turns `**x**` into `<strong>x</strong>` (an unpaired `**` stays as text).
    static func inline(_ text: String, escape: (String) -> String = esc) -> String {
        let parts = escape(text).components(separatedBy: "**")
        guard parts.count >= 3 else { return parts.joined(separator: "**") }
        var out = ""
        for (i, part) in parts.enumerated() {
            if i == 0 { out += part; continue }
            let opening = i % 2 == 1
            if opening && i == parts.count - 1 { out += "**" + part; continue }  // unpaired tail
            out += (opening ? "<strong>" : "</strong>") + part
        }
        return out
    }
}
