import Foundation

/// The small part of Markdown the template texts use, rendered to HTML: headings (`#` … `###`), paragraphs
/// (blank-line separated), bullet lists (`-` or `*`; an indented line continues the item above; a task-list marker
/// `[ ]`/`[x]` is dropped: the printed form's clause section holds the boxes that are read, and a second box in the
/// explanation would invite a tick nobody records), numbered lists (`1.`), `**bold**` and `` `code` ``. Every piece of
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
                list!.items.append(dropTaskMarker(String(line.dropFirst(2))))
            } else if let item = numberedItem(line) {
                flushParagraph()
                if list?.tag != "ol" { flushList(); list = ("ol", []) }
                list!.items.append(dropTaskMarker(item))
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

    /// A list item without a leading task-list marker (`[ ]`, `[x]`, `[X]`).
    private static func dropTaskMarker(_ item: String) -> String {
        for marker in ["[ ] ", "[x] ", "[X] "] where item.hasPrefix(marker) {
            return String(item.dropFirst(marker.count)).trimmingCharacters(in: .whitespaces)
        }
        return item
    }

    /// Escapes (with `escape`), then turns `**x**` into `<strong>x</strong>` and `` `x` `` into `<code>x</code>` (an
    /// unpaired `**` or backtick stays as text).
    static func inline(_ text: String, escape: (String) -> String = esc) -> String {
        paired(paired(escape(text), marker: "**", tag: "strong"), marker: "`", tag: "code")
    }

    /// `text` with each pair of `marker`s around a span turned into `<tag>`…`</tag>`.
    private static func paired(_ text: String, marker: String, tag: String) -> String {
        let parts = text.components(separatedBy: marker)
        guard parts.count >= 3 else { return parts.joined(separator: marker) }
        var out = ""
        for (i, part) in parts.enumerated() {
            if i == 0 { out += part; continue }
            let opening = i % 2 == 1
            if opening && i == parts.count - 1 { out += marker + part; continue }  // unpaired tail
            out += (opening ? "<\(tag)>" : "</\(tag)>") + part
        }
        return out
    }
}
