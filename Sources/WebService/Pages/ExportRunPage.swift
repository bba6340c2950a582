import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine

/// The pages of one export run: the preview of a dry run (per-partner counts and columns, and a button to start that
/// run) and a started run's status (state, per-partner counts, where the quarantine report is, the error in words); the
/// list of recent runs on the form page. Times in Europe/Berlin; paths relative to the configured folders, as the API
/// answers them (never an absolute server path).
enum ExportRunPage {
    static let previewTitle = LocalizedText(de: "Vorschau des Exports (Probelauf)", en: "Export preview (dry run)")
    static let statusTitle = LocalizedText(de: "Exportlauf", en: "Export run")
    /// Seconds between reloads of a running run's page.
    static let refreshSeconds = 3

    /// A run's state in words (`data-state` keeps the registry's word for programs and tests).
    static func stateWords(_ state: ExportRunRegistry.State) -> LocalizedText {
        switch state {
        case .queued: LocalizedText(de: "wartet", en: "waiting")
        case .running: LocalizedText(de: "läuft", en: "running")
        case .succeeded: LocalizedText(de: "abgeschlossen", en: "finished")
        case .failed: LocalizedText(de: "fehlgeschlagen", en: "failed")
        }
    }

    /// `POST /exports/dry-run`: the preview, and a form starting the same run (the checked entries as hidden fields).
    static func preview(_ page: PageRequest, summary: ExportJSON.Summary, request: ExportRoutes.RequestJSON, policy: CompiledPolicy) -> Response {
        let l = page.language
        let total = summary.partners.reduce(0) { $0 + $1.records }
        let hidden: HTML = """
        <input type="hidden" name="input" value="\(request.input)">
        <input type="hidden" name="drive" value="\(request.drive)">
        \(request.full == true ? HTML(raw: "<input type=\"hidden\" name=\"full\" value=\"on\">") : .empty)
        \(request.mapping.map { m -> HTML in "<input type=\"hidden\" name=\"mapping\" value=\"\(m)\">" } ?? .empty)
        """
        let what = l == .de
            ? "Liste „\(request.input)“ → Ordner „\(request.drive)“\(request.full == true ? ", vollständiger Neuexport" : "")\(request.mapping.map { ", Zuordnung „\($0)“" } ?? "")"
            : "list “\(request.input)” → folder “\(request.drive)”\(request.full == true ? ", full re-export" : "")\(request.mapping.map { ", mapping “\($0)”" } ?? "")"
        let content: HTML = """
        <section aria-labelledby="preview-heading" id="preview-result" data-total="\(total)">
        <h2 id="preview-heading">\(l == .de ? "Was ein Lauf jetzt exportieren würde" : "What a run would export now")</h2>
        <p>\(what)</p>
        <p role="status">\(l == .de ? "Probelauf: nichts wurde geschrieben oder protokolliert. \(total) Datensätze würden an die Stellen gehen." : "Dry run: nothing was written or logged. \(total) records would go to the partners.")</p>
        \(summaryHTML(summary, policy: policy, published: false, language: l))
        </section>
        <form method="post" action="/exports" class="no-print" id="start-form">
        \(CSRFField(session: page.session!).html)
        \(hidden)
        <div><button type="submit" id="start">\(l == .de ? "Diesen Export starten" : "Start this export")</button></div>
        </form>
        <p class="no-print"><a href="/exports">\(l == .de ? "Zurück zum Exportformular (ohne zu starten)" : "Back to the export form (without starting)")</a></p>
        """
        return PageResponse.html(page.layout.render(title: previewTitle, content: content))
    }

    /// `GET /exports/{id}`: where the run stands; while it waits or runs, the page reloads itself every `refreshSeconds` (a
    /// `<meta http-equiv="refresh">`, no script) unless asked not to (`?refresh=off`, a link on the page).
    static func status(_ page: PageRequest, run: ExportRunRegistry.Run, configuration: WebServiceConfiguration, policy: CompiledPolicy) -> Response {
        let l = page.language
        let summary = (run.summary.map(ExportJSON.Summary.init) ?? run.recordedSummary)?.relative(to: configuration)
        let self_ = "/exports/\(run.id)"
        let noRefresh = (page.query ?? "").split(separator: "&").contains("refresh=off")
        var layout = page.layout
        let state: HTML
        switch run.state {
        case .queued, .running:
            if !noRefresh { layout.head = "<meta http-equiv=\"refresh\" content=\"\(refreshSeconds)\">" }
            let reload: HTML = noRefresh
                ? "<a href=\"\(self_)\">\(l == .de ? "Jetzt neu laden (und wieder automatisch)" : "Reload now (and automatically again)")</a>"
                : "<a href=\"\(self_)?refresh=off\">\(l == .de ? "Nicht mehr automatisch neu laden" : "Stop reloading automatically")</a>"
            let where_ = run.state == .queued
                ? (l == .de ? "Der Lauf wartet, bis eine andere lange Arbeit endet (ein Export, eine Prüfung oder Auswertung des Protokolls); dann beginnt er von selbst."
                            : "The run is waiting for other long work to end (an export, a verification or statistics of the audit log); then it begins by itself.")
                : (l == .de ? "Der Lauf läuft noch." : "The run is still running.")
            let words = noRefresh ? where_
                : (l == .de ? "\(where_) Diese Seite lädt sich alle \(refreshSeconds) Sekunden neu, bis er endet." : "\(where_) This page reloads every \(refreshSeconds) seconds until it ends.")
            state = "<p class=\"notice\" role=\"status\">\(words) <span class=\"no-print\">\(reload)</span></p>"
        case .succeeded:
            state = "<p class=\"notice\" role=\"status\">\(l == .de ? "Der Lauf ist abgeschlossen." : "The run has finished.")</p>"
        case .failed:
            let why = run.error?[l] ?? (l == .de ? "ohne Angabe eines Grundes" : "no reason given")
            state = """
            <div class="alert" role="alert" id="run-error"><p><strong>\(l == .de ? "Der Lauf ist fehlgeschlagen:" : "The run failed:")</strong></p><p>\(why)</p></div>
            """
        }
        let began: HTML = run.beganAt.map { "<dt>\(l == .de ? "Begonnen" : "Began")</dt><dd>\(BerlinTime.element($0, language: l))</dd>" } ?? .empty
        let finished: HTML = run.finishedAt.map { "<dt>\(l == .de ? "Beendet" : "Ended")</dt><dd>\(BerlinTime.element($0, language: l))</dd>" } ?? .empty
        let runID: HTML = summary.map { "<dt>\(l == .de ? "Lauf-ID auf dem Laufwerk" : "Run id on the drive")</dt><dd><code>\($0.runID)</code></dd>" } ?? .empty
        let content: HTML = """
        <section aria-labelledby="run-heading" id="run" data-state="\(run.state.rawValue)">
        <h2 id="run-heading">\(l == .de ? "Stand" : "Status")</h2>
        \(state)
        <dl>
        <dt>\(l == .de ? "Stand" : "State")</dt><dd id="run-state">\(stateWords(run.state)[l])</dd>
        <dt>\(l == .de ? "Gestartet von" : "Started by")</dt><dd>\(run.actor)</dd>
        <dt>\(l == .de ? "Gestartet" : "Started")</dt><dd>\(BerlinTime.element(run.startedAt, language: l))</dd>
        \(began)
        \(finished)
        \(runID)
        <dt>\(l == .de ? "Kennung" : "Handle")</dt><dd><code>\(run.id)</code></dd>
        </dl>
        </section>
        \(summary.map { summaryHTML($0, policy: policy, published: true, language: l) } ?? .empty)
        <p class="no-print"><a href="/exports">\(l == .de ? "Zum Exportformular und den letzten Läufen" : "To the export form and the recent runs")</a></p>
        """
        // A title of its own per run (tabs, history, a screen reader's announcement): when it started.
        let title = LocalizedText(de: "\(statusTitle.de) vom \(BerlinTime.format(run.startedAt, language: .de))",
                                  en: "\(statusTitle.en) of \(BerlinTime.format(run.startedAt, language: .en))")
        return PageResponse.html(layout.render(title: title, content: content))
    }

    /// The counts of a summary: rows read and held back (with where the quarantine report is), and a table with one row
    /// per partner (records, erasure notices, columns; for a real run, where its folder was published).
    static func summaryHTML(_ s: ExportJSON.Summary, policy: CompiledPolicy, published: Bool, language l: Language) -> HTML {
        var notes: [HTML] = []
        if s.read == 0 {
            notes.append("<p class=\"alert\">\(l == .de ? "Die Liste enthält keine Datenzeilen (nur die Kopfzeile)." : "The list has no data rows (only the header).")</p>")
        }
        if s.quarantined > 0 {
            var where_ = HTML.empty
            if let report = s.quarantineReport {
                where_ = l == .de ? " Der Bericht liegt im Eingabeordner: <code id=\"quarantine-report\">\(report)</code>."
                                  : " The report is in the input folder: <code id=\"quarantine-report\">\(report)</code>."
            } else if s.dryRun {
                where_ = HTML(raw: l == .de ? " Ein echter Lauf schreibt dazu einen Bericht in den Eingabeordner." : " A real run writes a report about them to the input folder.")
            }
            notes.append("<p class=\"alert\" id=\"quarantine\">\(l == .de ? "\(s.quarantined) Zeilen wurden zurückgehalten (Quarantäne) und gehen an keine Stelle." : "\(s.quarantined) rows were held back (quarantine) and go to no partner.")\(where_)</p>")
        }
        if let owed = s.undeliverableNotices, !owed.isEmpty {
            let list = owed.keys.sorted().map { "\($0): \(owed[$0]!)" }.joined(separator: ", ")
            notes.append("<p class=\"alert\">\(l == .de ? "Löschmitteilungen an Stellen, die die Richtlinie nicht mehr kennt (nicht geschrieben, weiter fällig): \(list)" : "Erasure notices owed to partners the policy no longer knows (not written, still due): \(list)")</p>")
        }
        if let n = s.withdrawalsDuringRun {
            notes.append("<p id=\"withdrawals-during-run\">\(l == .de ? "\(n) Einwilligung(en), auf die sich Datensätze dieses Laufs stützten, wurde(n) während des Laufs widerrufen; die Datensätze wurden neu entschieden." : "\(n) consent(s) that records of this run relied on were withdrawn during the run; the records were decided again.")</p>")
        }
        for partner in s.deferredPartners ?? [] {
            let name = policy.bundle.partner(partner)?.name[l] ?? partner
            notes.append("<p class=\"alert\">\(l == .de ? "\(name) wurde in diesem Lauf nicht beliefert: eine Einwilligung, auf die sich Datensätze stützten, wurde während des Laufs widerrufen. Nichts davon wurde protokolliert; der nächste Lauf entscheidet die Datensätze neu." : "\(name) was not delivered in this run: a consent that its records relied on was withdrawn during the run. Nothing of it was logged; the next run decides the records afresh.")</p>")
        }
        if !s.recovered.isEmpty {
            let items = s.recovered.map { r -> HTML in "<li>\(r)</li>" }
            notes.append("<p>\(l == .de ? "Von einem früheren, unterbrochenen Lauf fortgesetzt:" : "Carried on from an earlier, interrupted run:")</p><ul>\(items)</ul>")
        }
        let rows = s.partners.map { p -> HTML in
            let name = policy.bundle.partner(p.partner)?.name[l] ?? p.partner
            let purpose = policy.bundle.purpose(p.purpose)?.label[l] ?? p.purpose
            // By the policy's label, with the id the file's header carries (found in a review: ids only, in both languages).
            let columns = p.columns.isEmpty ? "–" : p.columns.map { id in
                policy.bundle.field(id).map { "\($0.label[l]) (\(id))" } ?? id
            }.joined(separator: ", ")
            let path: HTML = published ? "<td>\(p.path.map { HTML(raw: "<code>\(HTML.escape($0))</code>") } ?? HTML(raw: "–"))</td>" : .empty
            return """
            <tr data-partner="\(p.partner)"><th scope="row">\(name) <span class="muted">(\(p.partner))</span></th><td>\(purpose)</td><td>\(p.folder)</td>\
            <td data-records="\(p.records)">\(p.records)</td><td data-notices="\(p.erasureNotices)">\(p.erasureNotices)</td><td>\(columns)</td>\(path)</tr>
            """
        }
        let pathHead: HTML = published ? "<th scope=\"col\">\(l == .de ? "Veröffentlicht in (Laufwerksordner)" : "Published in (drive folder)")</th>" : .empty
        let readLine = l == .de ? "Gelesene Zeilen: \(s.read) · zurückgehalten: \(s.quarantined)" : "Rows read: \(s.read) · held back: \(s.quarantined)"
        return """
        <section aria-labelledby="partners-heading" id="partners" data-read="\(s.read)" data-quarantined="\(s.quarantined)">
        <h2 id="partners-heading">\(l == .de ? "Je Stelle" : "Per partner")</h2>
        <p>\(readLine)</p>
        \(notes)
        <table>
        <caption>\(l == .de ? "Datensätze je Stelle" : "Records per partner")\(s.dryRun ? (l == .de ? " (Probelauf)" : " (dry run)") : "")</caption>
        <thead><tr><th scope="col">\(l == .de ? "Stelle" : "Partner")</th><th scope="col">\(l == .de ? "Zweck" : "Purpose")</th><th scope="col">\(l == .de ? "Ordner" : "Folder")</th><th scope="col">\(l == .de ? "Datensätze" : "Records")</th><th scope="col">\(l == .de ? "Löschmitteilungen" : "Erasure notices")</th><th scope="col">\(l == .de ? "Spalten" : "Columns")</th>\(pathHead)</tr></thead>
        <tbody>\(rows)</tbody>
        </table>
        </section>
        """
    }

    /// The runs the registry remembers (newest first), each a link to its status page; a sentence when there are none.
    static func recentRuns(_ runs: [ExportRunRegistry.Run], language l: Language) -> HTML {
        let heading: HTML = "<h2 id=\"runs-heading\">\(l == .de ? "Letzte Läufe" : "Recent runs")</h2>"
        guard !runs.isEmpty else {
            return """
            <section aria-labelledby="runs-heading" id="runs">\(heading)
            <p>\(l == .de ? "Seit dem Start des Dienstes wurde kein Lauf gestartet." : "No run has been started since the service started.")</p></section>
            """
        }
        let rows = runs.map { run -> HTML in
            let s = run.summary.map(ExportJSON.Summary.init) ?? run.recordedSummary
            let count: (Int?) -> HTML = { $0.map { HTML(raw: String($0)) } ?? HTML(raw: "–") }
            return """
            <tr data-run="\(run.id)"><th scope="row"><a href="/exports/\(run.id)">\(s?.runID ?? run.id)</a></th>\
            <td>\(BerlinTime.element(run.startedAt, language: l))</td><td data-state="\(run.state.rawValue)">\(stateWords(run.state)[l])</td>\
            <td>\(run.actor)</td><td>\(count(s?.read))</td><td>\(count(s.map { $0.partners.reduce(0) { $0 + $1.records } }))</td><td>\(count(s?.quarantined))</td></tr>
            """
        }
        return """
        <section aria-labelledby="runs-heading" id="runs">\(heading)
        <table>
        <caption>\(l == .de ? "Die letzten Läufe dieses Dienstes, neueste zuerst" : "This service's recent runs, newest first")</caption>
        <thead><tr><th scope="col">\(l == .de ? "Lauf" : "Run")</th><th scope="col">\(l == .de ? "Gestartet" : "Started")</th><th scope="col">\(l == .de ? "Stand" : "State")</th><th scope="col">\(l == .de ? "Konto" : "Account")</th><th scope="col">\(l == .de ? "Gelesen" : "Read")</th><th scope="col">\(l == .de ? "Exportiert" : "Exported")</th><th scope="col">\(l == .de ? "Zurückgehalten" : "Held back")</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table>
        </section>
        """
    }
}
