import Diagnostics

/// The words of `TemplateDiff` about the versions a template keeps besides its current one (`earlier-versions`):
/// a signed consent is read against the version it cites, so a version the new bundle no longer holds makes every
/// consent on it invalid, and one kept makes them stay valid.
extension TemplateDiff {
    /// The warning for a template that stays but no longer holds versions consents were signed on (a bump without
    /// keeping the old version, or an earlier version dropped), with how to keep them; nil when it holds them all.
    public static func droppedVersionsWarning(_ c: Change, _ language: Language) -> String? {
        guard c.dropsSignedVersions else { return nil }
        let gone = c.versionsNoLongerHeld, id = c.template
        let v = versionWords(gone, language)
        let bumped = c.versionNoLongerHeld != nil
        // A version that went down cannot keep the higher one under `earlier-versions` (those must be lower than the
        // current one, and the loader refuses it): the remedy is a higher version (found in a review of policy authoring).
        if bumped, let before = c.before?.version, let after = c.after?.version, after < before {
            return language == .de
                ? "Vorlage \(id) geht von Version \(before) auf \(after) zurück: Jede auf \(id) \(v) erteilte Einwilligung passt ab diesem Paket zu keiner Vorlage mehr, ist ungültig (consent-invalid) und gibt nichts frei. Eine Version kann nur steigen: Version \(before) beibehalten, oder eine neue Fassung als Version \(before + 1) ausgeben und Version \(before) unverändert unter `consent-templates.\(id).earlier-versions` behalten."
                : "Template \(id) goes back from version \(before) to \(after): every consent given on \(id) \(v) matches no template from this bundle on, is invalid (consent-invalid) and releases nothing. A version can only go up: keep version \(before), or issue new wording as version \(before + 1) and keep version \(before), unchanged, under `consent-templates.\(id).earlier-versions`."
        }
        if language == .de {
            let why = bumped ? "Vorlage \(id) geht von Version \(c.before!.version) auf \(c.after!.version), ohne \(v) unter `earlier-versions` zu behalten"
                             : "Vorlage \(id) hält \(v) nicht mehr (aus `earlier-versions` entfernt)"
            return "\(why): Jede auf \(id) \(v) erteilte Einwilligung passt ab diesem Paket zu keiner Vorlage mehr, ist ungültig (consent-invalid) und gibt nichts frei, bis die Person neu einwilligt. Damit sie gültig bleiben, \(v) mit unveränderter Fassung unter `consent-templates.\(id).earlier-versions` behalten."
        }
        let why = bumped ? "Template \(id) goes from version \(c.before!.version) to \(c.after!.version) without keeping \(v) under `earlier-versions`"
                         : "Template \(id) no longer holds \(v) (removed from `earlier-versions`)"
        return "\(why): every consent given on \(id) \(v) matches no template from this bundle on, is invalid (consent-invalid) and releases nothing until the person consents again. To keep them valid, keep \(v), its definition unchanged, under `consent-templates.\(id).earlier-versions`."
    }

    /// The report's lines on earlier versions: added (consents on them stay valid), kept, dropped (theirs become
    /// invalid), and changed under their number. Empty when none changed.
    public static func earlierVersionLines(_ c: Change, _ language: Language) -> [String] {
        let de = language == .de
        var out: [String] = []
        if !c.earlierVersionsAdded.isEmpty {
            out.append((de ? "frühere Versionen neu behalten: " : "earlier versions newly kept: ") + list(c.earlierVersionsAdded.map(String.init))
                + (de ? " (darauf erteilte Einwilligungen bleiben gültig und werden gegen diese Fassung gelesen)"
                      : " (consents given on them stay valid and are read against that version)"))
        }
        if !c.earlierVersionsKept.isEmpty, !(c.earlierVersionsAdded.isEmpty && c.earlierVersionsDropped.isEmpty && c.earlierVersionsChanged.isEmpty
                                              && c.recordingWindowsChanged.isEmpty) {
            out.append((de ? "frühere Versionen weiter behalten: " : "earlier versions still kept: ") + list(c.earlierVersionsKept.map(String.init)))
        }
        if !c.earlierVersionsDropped.isEmpty {
            out.append((de ? "frühere Versionen entfallen: " : "earlier versions dropped: ") + list(c.earlierVersionsDropped.map(String.init))
                + (de ? " (darauf erteilte Einwilligungen werden ungültig)" : " (consents given on them become invalid)"))
        }
        for e in c.earlierVersionsChanged {
            let what = sameVersionWhat(e, language)
            out.append((de ? "Version \(e.after!.version) unter gleicher Nummer geändert — WARNUNG: " : "version \(e.after!.version) changed under the same number — WARNING: ")
                + what.joined(separator: "; "))
        }
        out += c.recordingWindowsChanged.map { recordingWindowLine($0, language) }
        return out
    }

    /// One recording window opened, moved or closed, in words: it says until which signing day (in Berlin) paper
    /// declarations on that version may still be recorded on it; the version's wording is not changed by it. On the
    /// current version (`current`): the template retired, its last day moved, or its retirement withdrawn.
    public static func recordingWindowLine(_ w: RecordingWindowChange, _ language: Language) -> String {
        let de = language == .de
        let before = w.before.map(UTCDay.format) ?? "—", after = w.after.map(UTCDay.format) ?? "—"
        let what: String
        if w.current {
            switch (w.before, w.after) {
            case (nil, _):
                what = de ? "Vorlage stillgelegt (aktuelle Version \(w.version), recordable-until \(after)): neue Einwilligungen werden auf ihr nur noch aufgenommen, wenn sie bis \(after) (Tag in Europe/Berlin) unterschrieben wurden; danach wird sie nicht mehr angeboten"
                          : "template retired (current version \(w.version), recordable-until \(after)): new consents are recorded on it only when signed by \(after) (a day in Europe/Berlin); after that it is no longer offered"
            case (_, nil):
                what = de ? "Stilllegung aufgehoben (aktuelle Version \(w.version), recordable-until entfernt, war \(before)): die Vorlage nimmt wieder neue Einwilligungen auf"
                          : "retirement withdrawn (current version \(w.version), recordable-until removed, was \(before)): the template takes new consents again"
            default:
                what = de ? "letzter Aufnahmetag der stillgelegten Vorlage (aktuelle Version \(w.version)) geändert: \(before) → \(after) (Tag in Europe/Berlin)"
                          : "last recording day of the retired template (current version \(w.version)) changed: \(before) → \(after) (a day in Europe/Berlin)"
            }
            return what + (de ? " — schon erteilte Einwilligungen bleiben gültig; der Wortlaut ändert sich nicht"
                              : " — consents already given stay valid; the wording does not change")
        }
        switch (w.before, w.after) {
        case (nil, _):
            what = de ? "Version \(w.version) recordable-until neu: darauf bis \(after) (Tag in Europe/Berlin) unterschriebene Papiererklärungen dürfen noch auf ihr aufgenommen werden"
                      : "version \(w.version) recordable-until added: paper declarations signed on it by \(after) (a day in Europe/Berlin) may still be recorded on it"
        case (_, nil):
            what = de ? "Version \(w.version) recordable-until entfernt (war \(before)): auf ihr werden keine neuen Einwilligungen mehr aufgenommen"
                      : "version \(w.version) recordable-until removed (was \(before)): no new consent is recorded on it any more"
        default:
            what = de ? "Version \(w.version) recordable-until geändert: \(before) → \(after) (Tag in Europe/Berlin)"
                      : "version \(w.version) recordable-until changed: \(before) → \(after) (a day in Europe/Berlin)"
        }
        return what + (de ? " — eine Änderung des Aufnahmefensters, nicht des Wortlauts; schon erteilte Einwilligungen bleiben unberührt"
                          : " — a change of the recording window, not of the wording; consents already given are unaffected")
    }

    /// The JSON members on earlier versions, appended to each template's object (every member always present; in a
    /// `recording-windows-changed` entry, `current: true` only for the current version's last day).
    static func earlierVersionsJSON(_ c: Change, change: (Change) -> OrderedJSON) -> [(String, OrderedJSON)] {
        func ints(_ l: [Int]) -> OrderedJSON { .array(l.map { .int($0) }) }
        return [("versions-no-longer-held", ints(c.versionsNoLongerHeld)),
                ("earlier-versions-added", ints(c.earlierVersionsAdded)),
                ("earlier-versions-kept", ints(c.earlierVersionsKept)),
                ("earlier-versions-dropped", ints(c.earlierVersionsDropped)),
                ("earlier-versions-changed", .array(c.earlierVersionsChanged.map(change))),
                ("recording-windows-changed", .array(c.recordingWindowsChanged.map { w in .object([
                    ("version", .int(w.version)),
                    ("recordable-until-before", w.before.map { .string(UTCDay.format($0)) } ?? .null),
                    ("recordable-until-after", w.after.map { .string(UTCDay.format($0)) } ?? .null)]
                    // `current` only on the current version's entry (the template retired), so the JSON of an earlier
                    // version's window is what it was.
                    + (w.current ? [("current", .bool(true))] : [])) }))]
    }
}
