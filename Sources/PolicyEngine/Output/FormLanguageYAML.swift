import Diagnostics

/// A `form-languages` entry written as policy YAML: what `consentgate consent form-language` prints as the starting
/// point for a county's translator (the built-in wording of one language, under the code of the language to translate
/// into), and what loads back as the same wording.
public enum FormLanguageYAML {
    /// The YAML of `language` as a bundle file's `form-languages` section: every text in the form's reading order, each
    /// placeholder explained beside its text, the words for each duration, and the names of partners, purposes and
    /// categories (`names`, sorted by id) unless it is German or English (the bundle's own names are those).
    public static func text(of language: FormLanguage, translatedFrom source: String? = nil) -> String {
        var out = "# The printed consent declaration's wording in `\(language.code)` (docs/policy.md, \"Form languages\").\n"
        if let source {
            out += "# Starting point: the built-in `\(source)` wording. Translate every text, `durations` and `names`, keep each placeholder\n"
            out += "# (%@, %1, %2, %3) exactly once where it stands, give the language's name, and set `direction: rtl` for a\n"
            out += "# language written right to left (Arabic, Farsi, Dari, Pashto, Hebrew). Have the translation reviewed.\n"
        }
        out += "form-languages:\n  \(quoted(language.code)):\n"
        out += "    name: {de: \(quoted(language.name.de)), en: \(quoted(language.name.en))}"
        out += source != nil ? "   # the language's name on the case manager's pages, in German and English\n" : "\n"
        out += "    direction: \(language.rightToLeft ? "rtl" : "ltr")\n"
        out += "    texts:\n"
        for key in FormLanguage.Key.allCases {
            out += "      \(key.rawValue): \(quoted(language[key]))"
            if let meaning = key.placeholderMeaning { out += "   # \(meaning.en)" }
            out += "\n"
        }
        if !language.durations.isEmpty {
            out += "    durations:   # a template's max-validity, as the validity sentence says it\n"
            for (d, words) in language.durations.sorted(by: { $0.key.description < $1.key.description }) {
                out += "      \(d.description): \(quoted(words))\n"
            }
        }
        if !language.names.isEmpty, !["de", "en"].contains(language.code) {
            out += "    names:   # what the declaration calls the partners, purposes and data categories under each tick box\n"
            for section in FormNames.Section.allCases where !language.names[section].isEmpty {
                out += "      \(section.rawValue):\n"
                for (id, name) in language.names[section].sorted(by: { $0.key < $1.key }) { out += "        \(quoted(id)): \(quoted(name))\n" }
            }
        }
        return out
    }

    /// `s` as a double-quoted YAML scalar (backslash, quote and control characters escaped).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                // C0 and C1 controls, DEL, NEL and the Unicode line and paragraph separators as escapes: written raw, YAML
                // folds NEL into a space and refuses C1 controls (a review's round trip).
                if u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
