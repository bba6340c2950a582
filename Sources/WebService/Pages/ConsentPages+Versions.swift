import Diagnostics
import Foundation
import PolicyEngine

/// The version printed on the paper: paper declarations of an earlier template version with a recording window
/// (`recordable-until`) arrive after a bump and are recorded on the version the person read, so the recording form
/// lets the case manager pick that version (links reloading the form, no script) and says until which signing day
/// it is accepted.
extension ConsentPages {
    /// The query parameter (and form field) picking the version of the chosen template the form shows.
    static let versionParameter = "template-version"

    /// The earlier versions of `t` a declaration may still be recorded on (those with a `recordable-until`), newest first.
    static func recordableEarlierVersions(of t: ConsentTemplate) -> [ConsentTemplate] {
        t.earlierVersions.filter { $0.recordableUntil != nil }
    }

    /// The earlier version of `t` numbered `text` when it has a recording window; nil otherwise (not a number, the
    /// current version, a version not held, or one without `recordable-until`).
    static func recordableVersion(of t: ConsentTemplate, _ text: String?) -> ConsentTemplate? {
        guard let text, let v = Int(text), v != t.version else { return nil }
        return recordableEarlierVersions(of: t).first { $0.version == v }
    }

    /// The version of `t` the form shows: for the chosen template the recordable earlier version picked (the GET
    /// parameter, else the hidden field sent back with a refused submission), otherwise the current one.
    static func shownVersion(of t: ConsentTemplate, chosen: Bool, form: FormData) -> ConsentTemplate {
        guard chosen else { return t }
        return recordableVersion(of: t, form[versionParameter]) ?? recordableVersion(of: t, form[templateVersionField(t.id)]) ?? t
    }

    /// A Berlin calendar day (days since 1970-01-01) for people: `31.01.2027` (German), `31 Jan 2027` (English), in a
    /// `<time>` element carrying `YYYY-MM-DD`.
    static func dayElement(_ day: Int, _ l: Language) -> HTML {
        "<time datetime=\"\(UTCDay.format(day))\">\(dayText(day, l))</time>"
    }

    /// A calendar day (days since 1970-01-01) in words: `31.01.2027` (German), `31 Jan 2027` (English).
    static func dayText(_ day: Int, _ l: Language) -> String { UTCDay.words(day, language: l) }

    /// What the form says about an earlier version shown: it is accepted only for declarations signed by its last day.
    static func windowNote(_ v: ConsentTemplate, current: Int, _ l: Language) -> HTML {
        guard let until = v.recordableUntil else { return .empty }
        let day = dayElement(until, l)
        return l == .de
            ? "<p class=\"notice\" id=\"version-note-\(v.id)\">Frühere Version \(v.version) (aktuell ist Version \(current)): wird nur erfasst, wenn die Erklärung bis zum \(day) (Tag in Europe/Berlin) unterschrieben wurde; Klauseln und Sprachen sind die dieser Fassung.</p>"
            : "<p class=\"notice\" id=\"version-note-\(v.id)\">Earlier version \(v.version) (the current one is version \(current)): recorded only when the declaration was signed on or before \(day) (a day in Europe/Berlin); clauses and languages are those of this version.</p>"
    }

    /// Per template with recordable earlier versions: links to reload the form showing each version (the current one
    /// and the earlier ones with their last signing day), the one shown marked `aria-current`. Empty when no template
    /// keeps a recordable earlier version.
    static func versionPicker(_ templates: [ConsentTemplate], shown: [String: Int], _ l: Language) -> HTML {
        let groups = templates.compactMap { t -> HTML? in
            let earlier = recordableEarlierVersions(of: t)
            guard !earlier.isEmpty else { return nil }
            func link(_ v: ConsentTemplate, _ words: HTML) -> HTML {
                let current: HTML = shown[t.id] == v.version ? HTML(raw: " aria-current=\"true\"") : .empty
                let href = "/consents/new?template=\(t.id)&\(versionParameter)=\(v.version)"
                return "<li><a href=\"\(href)\" id=\"pick-\(t.id)-v\(v.version)\"\(current)>\(t.id) v\(v.version)</a> \(words)</li>"
            }
            let items = [link(t, l == .de ? "(aktuell)" : "(current)")] + earlier.map { v in
                link(v, l == .de ? "(frühere Version, angenommen wenn bis \(dayElement(v.recordableUntil ?? 0, l)) unterschrieben)"
                                 : "(earlier version, accepted when signed on or before \(dayElement(v.recordableUntil ?? 0, l)))")
            }
            return "<ul id=\"versions-\(t.id)\">\(HTML.join(items))</ul>"
        }
        guard !groups.isEmpty else { return .empty }
        let head = l == .de ? "Version auf dem Papier" : "Version printed on the paper"
        let hint = l == .de ? "Steht auf der unterschriebenen Erklärung eine frühere Version, diese hier wählen (lädt das Formular neu; bisherige Eingaben gehen verloren, daher zuerst wählen)."
                            : "If the signed declaration shows an earlier version, choose it here (reloads the form; entries made so far are lost, so choose first)."
        return "<nav aria-labelledby=\"version-picker-head\" id=\"version-picker\"><h2 id=\"version-picker-head\">\(head)</h2><p>\(hint)</p>\(HTML.join(groups))</nav>"
    }
}
