import Diagnostics
import Foundation

/// The answer language an `Accept-Language` header asks for (RFC 9110 §12.5.4), of the two ConsentGate speaks.
///
/// Read on the JSON API only (`LanguageMiddleware`): a program or `curl` states its language in this header, and had
/// no other way than `?lang=en` on every request. Pages keep German unless switched (`?lang=`, the `cg_lang` cookie):
/// the issue asks for "German by default, English switch", and a browser's header says how it was installed, not what
/// the county's staff reads.
enum AcceptLanguage {
    /// The preferred language among `de` and `en` (a range `de-DE` counts as `de`; `*` as German), by quality value and,
    /// at equal quality, by order; nil when the header names neither (or gives both `q=0`).
    static func preferred(_ header: String) -> Language? {
        var best: (language: Language, q: Double)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let range = parts.first?.lowercased(), !range.isEmpty else { continue }
            let primary = range.split(separator: "-", maxSplits: 1).first.map(String.init) ?? range
            let language: Language
            switch primary {
            case "de", "*": language = .de
            case "en": language = .en
            default: continue
            }
            var q = 1.0
            for p in parts.dropFirst() where p.lowercased().hasPrefix("q=") {
                guard let v = Double(p.dropFirst(2)), (0...1).contains(v) else { q = 0; break }
                q = v
            }
            guard q > 0 else { continue }
            if best == nil || q > best!.q { best = (language, q) }
        }
        return best?.language
    }
}
