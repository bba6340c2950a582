import Diagnostics
import Foundation

/// The export form and its words, in German and English: the list (a select of the files in the input folder), the
/// drive folder (default `.`), full re-export, the optional mapping file, and two buttons, preview (the default, so
/// Enter never starts a run) and start. Every control is labelled, hints and problems are tied to it
/// (`aria-describedby`); the form is hidden in print.
enum ExportFormWords {
    static let inputLabel = LocalizedText(de: "Liste (Datei im Eingabeordner)", en: "List (file in the input folder)")
    static let driveLabel = LocalizedText(de: "Ordner auf dem Gruppenlaufwerk", en: "Folder on the shared drive")
    static let fullLabel = LocalizedText(de: "Vollständiger Neuexport: alle Datensätze, auch die schon exportierten",
                                         en: "Full re-export: every record, also those exported before")
    static let mappingLabel = LocalizedText(de: "Zuordnungsdatei für Spaltenüberschriften (optional)", en: "Header mapping file (optional)")
    static let previewButton = LocalizedText(de: "Vorschau (Probelauf, schreibt nichts)", en: "Preview (dry run, writes nothing)")
    static let startButton = LocalizedText(de: "Export starten", en: "Start the export")

    /// The form with the entries of `form` (a first visit: drive `.`), the problems at their controls.
    static func form(_ form: FormData, files: [String], driveFolders: [String], session: WebSession, problems: FormProblems,
                     language l: Language) -> HTML {
        let chosen = form["input"] ?? ""
        // An entry not among the files (sent by hand, or the file is gone) is kept as an option, so nothing is lost.
        let listed = files.contains(chosen) || chosen.isEmpty ? files : [chosen] + files
        let options = listed.map { f -> HTML in
            "<option value=\"\(f)\"\(f == chosen ? HTML(raw: " selected") : .empty)>\(f)</option>"
        }
        let driveOptions = (["."] + driveFolders).map { d -> HTML in "<option value=\"\(d)\"></option>" }
        let mappingOptions = files.map { f -> HTML in "<option value=\"\(f)\"></option>" }
        let full: HTML = form["full"] == "on" ? HTML(raw: " checked") : .empty
        let filesHint = files.isEmpty
            ? LocalizedText(de: "Im Eingabeordner liegt keine Datei. Legen Sie die Liste dort ab und laden Sie die Seite neu.",
                            en: "There is no file in the input folder. Put the list there and reload this page.")
            : LocalizedText(de: "Die Dateien im Eingabeordner des Dienstes (\(files.count)); Prüfberichte früherer Läufe sind nicht aufgeführt.",
                            en: "The files in the service's input folder (\(files.count)); quarantine reports of earlier runs are not listed.")
        return """
        <form method="post" action="/exports/dry-run" class="export-form no-print" id="export-form">
        \(CSRFField(session: session).html)
        <label for="input">\(inputLabel[l])</label>
        \(problems.message("input", language: l))
        <select id="input" name="input" required\(problems.attributes("input", hints: ["input-hint"]))><option value=""></option>\(options)</select>
        <p id="input-hint" class="muted">\(filesHint[l])</p>
        <label for="drive">\(driveLabel[l])</label>
        \(problems.message("drive", language: l))
        <input type="text" id="drive" name="drive" value="\(form["drive"] ?? ".")" list="drive-list" autocomplete="off"\(problems.attributes("drive", hints: ["drive-hint"]))>
        <datalist id="drive-list">\(driveOptions)</datalist>
        <p id="drive-hint" class="muted">\(l == .de ? "Relativ zum Laufwerksordner des Dienstes; „.“ ist der Laufwerksordner selbst. Je Stelle entsteht darin ein Ordner." : "Relative to the service's drive folder; “.” is the drive folder itself. Each partner gets a folder in it.")</p>
        <div class="check"><input type="checkbox" id="full" name="full"\(full)> <label class="inline" for="full">\(fullLabel[l])</label></div>
        <label for="mapping">\(mappingLabel[l])</label>
        \(problems.message("mapping", language: l))
        <input type="text" id="mapping" name="mapping" value="\(form["mapping"] ?? "")" list="mapping-list" autocomplete="off"\(problems.attributes("mapping", hints: ["mapping-hint"]))>
        <datalist id="mapping-list">\(mappingOptions)</datalist>
        <p id="mapping-hint" class="muted">\(l == .de ? "Eine Datei im Eingabeordner; leer lassen, wenn die Spalten so heißen wie die Felder der Richtlinie." : "A file in the input folder; leave empty when the columns are named like the policy's fields.")</p>
        \(problems.message(ExportPages.runField, language: l))
        <div><button type="submit" id="preview">\(previewButton[l])</button> <button type="submit" id="start" formaction="/exports">\(startButton[l])</button></div>
        </form>
        """
    }

    /// What the page says instead of the form when the service has no export folders: which options of `serve` set them.
    static func notConfigured(_ l: Language) -> HTML {
        let words = l == .de
            ? "Der Export ist auf diesem Server nicht eingerichtet: dem Dienst fehlen der Eingabeordner (wo die Listen liegen) und der Ordner auf dem Gruppenlaufwerk (wohin exportiert wird). Die Administration startet den Dienst dafür mit beiden Optionen:"
            : "Export is not set up on this server: the service has no input folder (where the lists are) and no shared-drive folder (where exports go). The administrator starts the service with both options for it:"
        let after = l == .de
            ? "Bis dahin können hier keine Exporte gestartet werden; die Exporte über die Kommandozeile (consentgate export) sind davon nicht betroffen."
            : "Until then no export can be started here; exports on the command line (consentgate export) are not affected."
        return """
        <div class="notice" id="export-not-configured" role="status">
        <p>\(words)</p>
        <p><code>consentgate serve --export-input-dir \(l == .de ? "ORDNER" : "FOLDER") --export-drive-dir \(l == .de ? "ORDNER" : "FOLDER")</code></p>
        <p>\(after)</p>
        </div>
        """
    }
}
