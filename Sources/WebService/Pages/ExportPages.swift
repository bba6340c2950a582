import Diagnostics
import DriveExport
import Foundation
import Gate
import Hummingbird

/// The exporter's pages for the shared-drive export (docs/web-exports.md "Exporter pages"): a form to preview a run (dry run)
/// or start one, the preview with a button to start that run, and a run's status page. Built on the JSON API's code
/// (`ExportRoutes`): the same path checks (`checkedOptions`), the same background start and registry, the same dry run
/// and error mapping, so a page and `/v1/exports` can never disagree about what is allowed or what a run did.
enum ExportPages {
    /// The title of the form page (also the navigation link).
    static let title = LocalizedText(de: "Export für das Gruppenlaufwerk", en: "Shared-drive export")

    static func register(_ r: RouteRegistrar) {
        let env = r.environment
        let access = RouteAccess.roles(ExportRoutes.roles)
        r.page(.get, "/exports", access: access) { _, page in
            try await formPage(page, env: env, form: FormData())
        }
        r.page(.post, "/exports/dry-run", access: access) { _, page in
            try ExportRoutes.requireConfigured(env.configuration)
            let checked = try check(page.form, dryRun: true, actor: page.account!.name, configuration: env.configuration)
            guard let options = checked.options else {
                return try await formPage(page, env: env, form: page.form, problems: checked.problems)
            }
            do {
                let summary = try await ExportRoutes.dryRun(options, environment: env)
                return ExportRunPage.preview(page, summary: ExportJSON.Summary(summary).relative(to: env.configuration),
                                             request: checked.request, policy: env.gate.policy)
            } catch {
                // The job refused the list (its columns, its encoding, a mapping line ...): the form again, the reason
                // next to the buttons; a storage failure is the error page's.
                var problems = FormProblems()
                guard problems.add(runField, anchor: "input", refusal: error) else { throw error }
                return try await formPage(page, env: env, form: page.form, problems: problems)
            }
        }
        r.page(.post, "/exports", access: access) { _, page in
            try ExportRoutes.requireConfigured(env.configuration)
            let checked = try check(page.form, dryRun: false, actor: page.account!.name, configuration: env.configuration)
            guard let options = checked.options else {
                return try await formPage(page, env: env, form: page.form, problems: checked.problems)
            }
            let run = try await ExportRoutes.start(options, actor: page.account!.name, environment: env)
            return PageResponse.seeOther("/exports/\(run.id)")
        }
        r.page(.get, "/exports/{id}", access: access) { _, page in
            try ExportRoutes.requireConfigured(env.configuration)
            let id = try PathParameter.text("id", in: page.context)
            guard let run = try await env.exportRuns.run(id) else {
                throw WebError.notFound(LocalizedText(de: "Exportlauf \(id)", en: "export run \(id)"))
            }
            return ExportRunPage.status(page, run: run, configuration: env.configuration, policy: env.gate.policy)
        }
    }

    /// The pseudo-field a refusal of the job itself is shown at (above the buttons).
    static let runField = "run"

    /// What `check` made of a submitted form: the request (also when refused, for the preview's hidden fields), the
    /// job's options when every path is in order, else the problems at their fields.
    struct Checked {
        var request: ExportRoutes.RequestJSON
        var options: ExportOptions?
        var problems: FormProblems
    }

    /// The form's fields as the API's request (`input`, `drive` (empty: the drive folder itself), `full`, `mapping`),
    /// checked by `ExportRoutes.checkedOptions`: a path outside the folders or a missing file is a problem at its field,
    /// and nothing runs. Anything else `checkedOptions` throws (no export folders) is rethrown for the error page.
    static func check(_ form: FormData, dryRun: Bool, actor: String, configuration: WebServiceConfiguration) throws -> Checked {
        func text(_ name: String) -> String { form[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
        let mapping = text("mapping")
        let request = ExportRoutes.RequestJSON(input: text("input"), drive: text("drive").isEmpty ? "." : text("drive"),
                                               full: form["full"] == "on", mapping: mapping.isEmpty ? nil : mapping)
        var problems = FormProblems()
        if request.input.isEmpty {
            problems.add("input", FormProblems.missing(ExportFormWords.inputLabel))
            return Checked(request: request, options: nil, problems: problems)
        }
        do {
            let options = try ExportRoutes.checkedOptions(request, dryRun: dryRun, actor: actor, configuration: configuration)
            return Checked(request: request, options: options, problems: problems)
        } catch let refusal as ExportRoutes.PathRefusal {
            problems.add(refusal.field, labelled(refusal.error.message, field: refusal.field), status: refusal.error.status)
        }
        return Checked(request: request, options: nil, problems: problems)
    }

    /// A path refusal as the form says it: by the box's label, not the API's member name (`Feld "input": …` on a German
    /// page: a wording review).
    static func labelled(_ message: LocalizedText, field: String) -> LocalizedText {
        let labels = ["input": ExportFormWords.inputLabel, "drive": ExportFormWords.driveLabel, "mapping": ExportFormWords.mappingLabel]
        guard let label = labels[field] else { return message }
        func name(_ text: String) -> String { text.hasSuffix(" (optional)") ? String(text.dropLast(" (optional)".count)) : text }
        return LocalizedText(de: message.de.replacingOccurrences(of: "Feld \"\(field)\"", with: "„\(name(label.de))“"),
                             en: message.en.replacingOccurrences(of: "field \"\(field)\"", with: "“\(name(label.en))”"))
    }

    /// `GET /exports` (and a refused form): the form with `form`'s entries and `problems`, then the recent runs; without
    /// export folders, the words saying how the service is given them instead.
    static func formPage(_ page: PageRequest, env: WebEnvironment, form: FormData, problems: FormProblems = FormProblems()) async throws -> Response {
        let l = page.language
        let configuration = env.configuration
        guard let inputBase = configuration.exportInputDirectory, let driveBase = configuration.exportDriveDirectory else {
            return PageResponse.html(page.layout.render(title: title, content: ExportFormWords.notConfigured(l)))
        }
        let folders = try await BlockingWork.run { (ExportFolderListing.files(in: inputBase), ExportFolderListing.folders(in: driveBase)) }
        let runs = try await env.exportRuns.recent()
        let content: HTML = """
        \(problems.summary(language: l))
        \(ExportFormWords.form(form, files: folders.0, driveFolders: folders.1, session: page.session!, problems: problems, language: l))
        \(ExportRunPage.recentRuns(runs, language: l))
        """
        return PageResponse.html(page.layout.render(title: title, content: content), status: problems.isEmpty ? .ok : problems.status)
    }
}

/// The files and folders the export form offers: what lies in the configured folders, as paths relative to them.
enum ExportFolderListing {
    /// At most this many entries are looked at (a folder with very many files still answers at once).
    static let limit = 1_000

    /// The files below `base` (relative paths, sorted), without hidden ones, the quarantine reports of earlier runs
    /// (`quarantine-<run-id>.csv`/`.json`) and anything a symbolic link leads out of the folder to.
    static func files(in base: String) -> [String] {
        let root = ExportPaths.canonical(base)
        guard let walk = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        var seen = 0
        while let next = walk.nextObject() as? String, seen < limit {
            seen += 1
            // Never into a folder a symbolic link leads to (it may lie outside; its files would be refused anyway).
            if walk.fileAttributes?[.type] as? FileAttributeType == .typeSymbolicLink { walk.skipDescendants() }
            let name = (next as NSString).lastPathComponent
            if next.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if isQuarantineReport(name) { continue }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + next, isDirectory: &isDir), !isDir.boolValue,
                  (try? ExportPaths.resolve(next, field: "input", base: root)) != nil else { continue }
            found.append(next)
        }
        return found.sorted()
    }

    /// The folders directly in `base` (sorted, hidden ones left out): the drives to choose from besides `.`.
    static func folders(in base: String) -> [String] {
        let root = ExportPaths.canonical(base)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { name in
            var isDir: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDir) && isDir.boolValue
                && (try? ExportPaths.resolve(name, field: "drive", base: root)) != nil
        }.sorted()
    }

    /// Whether `name` is a quarantine report an export run wrote beside its list.
    static func isQuarantineReport(_ name: String) -> Bool {
        guard name.hasPrefix("quarantine-") else { return false }
        let rest = name.dropFirst("quarantine-".count)
        for suffix in [".csv", ".json"] where rest.hasSuffix(suffix) {
            return RunID.isRunID(String(rest.dropLast(suffix.count)))
        }
        return false
    }
}
