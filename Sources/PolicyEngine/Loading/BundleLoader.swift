import Diagnostics
import Foundation

/// Loads a policy bundle folder (CONTRACTS §3): `policy.yaml`, further `*.yaml` files merged into it (by file
/// name), the consent template texts, and `tests/*.yaml`. Validates everything and reports **all** problems at once
/// as `PolicyError.invalidBundle`, each with file, line and column.
public enum BundleLoader {
    /// The one API version this loader reads.
    public static let apiVersion = "consentgate/v1"

    /// Loads and validates the bundle in `directory`.
    ///
    /// `archived`: the bundle comes from the policy archive, where it was stored when it came into force, to replay
    /// decisions made under it. It is read as it was read then: the checks added since (`NodeReader.reportLaterCheck`)
    /// do not refuse it, and its `tests/` are not read (they never take part in a decision nor in the digest, and their
    /// checks grew stricter too).
    public static func load(directory: URL, archived: Bool = false) throws(PolicyError) -> PolicyBundle {
        let fm = FileManager.default
        let root = directory.standardizedFileURL
        var sources: [BundleSource] = []
        var problems: [PolicyDiagnostic] = []
        /// The file's text, or nil. A file that exists but cannot be read (a folder, no permission) is reported
        /// here when `reportUnreadable` is set; template texts are reported by their caller at the referring node.
        func read(_ url: URL, as name: String, reportUnreadable: Bool = true) -> String? {
            func unreadable() -> String? {
                if reportUnreadable {
                    problems.append(PolicyDiagnostic(code: "unreadable-file", location: SourceLocation(file: name, line: 1, column: 1),
                        message: LocalizedText(de: "Datei `\(name)` ist nicht lesbar (ein Ordner oder keine Leseberechtigung)",
                                               en: "file `\(name)` cannot be read (a folder, or no permission to read it)")))
                }
                return nil
            }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
            if isDirectory.boolValue { return unreadable() }
            guard let attributes = try? fm.attributesOfItem(atPath: url.path) else { return unreadable() }
            if let size = attributes[.size] as? Int, size > YAMLLimits.maxFileBytes {
                problems.append(PolicyDiagnostic(code: "input-too-large", location: SourceLocation(file: name, line: 1, column: 1),
                    message: LocalizedText(de: "Datei zu groß: \(size) Bytes, höchstens \(YAMLLimits.maxFileBytes) erlaubt",
                                           en: "file too large: \(size) bytes, at most \(YAMLLimits.maxFileBytes) allowed")))
                return nil
            }
            guard let data = fm.contents(atPath: url.path) else { return unreadable() }
            guard let text = String(data: data, encoding: .utf8) else {
                let at = InvalidUTF8.firstPosition(in: data) ?? (1, 1)
                problems.append(PolicyDiagnostic(code: "unreadable-file", location: SourceLocation(file: name, line: at.line, column: at.column),
                    message: LocalizedText(de: "Datei ist kein gültiges UTF-8", en: "file is not valid UTF-8")))
                return nil
            }
            return text
        }
        func yamlFiles(in dir: URL) -> [String] {
            let names = (try? fm.contentsOfDirectory(atPath: dir.path)) ?? []
            // `Exports.YAML`, `rules.Yml`: a YAML file the loader would skip for the case of its ending, said rather than
            // dropped (found in a review of policy authoring: a renamed `exports.yaml` passed as "0 export profiles").
            for name in names.sorted() where !archived && !(name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
                && (name.lowercased().hasSuffix(".yaml") || name.lowercased().hasSuffix(".yml")) {
                let rel = dir.standardizedFileURL.path == root.standardizedFileURL.path ? name : "tests/" + name
                problems.append(PolicyDiagnostic(code: "ignored-file", location: SourceLocation(file: rel, line: 1, column: 1),
                    message: LocalizedText(de: "Datei `\(rel)` wird nicht gelesen: die Endung muss klein geschrieben sein (.yaml oder .yml)",
                                           en: "file `\(rel)` is not read: its ending must be in lower case (.yaml or .yml)")))
            }
            return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        }
        guard fm.fileExists(atPath: root.appendingPathComponent("policy.yaml").path) else {
            // The folder missing, or a file given for the folder (often `policy.yaml` itself), said as that: both read
            // "`policy.yaml` is missing in …/policy.yaml" (a review of the command line).
            var isFolder: ObjCBool = false
            let exists = fm.fileExists(atPath: root.path, isDirectory: &isFolder)
            let message: LocalizedText = !exists
                ? LocalizedText(de: "kein Richtlinienpaket: den Ordner \(root.path) gibt es nicht", en: "not a policy bundle: there is no folder \(root.path)")
                : !isFolder.boolValue
                ? LocalizedText(de: "kein Richtlinienpaket: \(root.path) ist eine Datei; bitte den Ordner des Pakets angeben (\(root.deletingLastPathComponent().path))",
                                en: "not a policy bundle: \(root.path) is a file; please give the bundle's folder (\(root.deletingLastPathComponent().path))")
                : LocalizedText(de: "kein Richtlinienpaket: `policy.yaml` fehlt in \(root.path)", en: "not a policy bundle: `policy.yaml` is missing in \(root.path)")
            throw .invalidBundle([PolicyDiagnostic(code: "missing-file", location: SourceLocation(file: root.path, line: 1, column: 1), message: message)])
        }
        // Every file must lie inside the bundle, also after following symbolic links: the digest covers the files,
        // so a link to a file elsewhere would make the bundle depend on (and silently change with) it.
        let realRoot = root.resolvingSymlinksInPath().path
        func isInside(_ url: URL) -> Bool {
            url.resolvingSymlinksInPath().path.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/")
        }
        /// A YAML file of the bundle, or nil (reported) when a link takes it outside the bundle.
        func readYAML(_ name: String) -> String? {
            let url = root.appendingPathComponent(name)
            guard isInside(url) else {
                problems.append(PolicyDiagnostic(code: "outside-bundle", location: SourceLocation(file: name, line: 1, column: 1),
                    message: LocalizedText(de: "Datei `\(name)` ist ein Verweis auf eine Datei außerhalb des Richtlinienpakets (\(url.resolvingSymlinksInPath().path))",
                                           en: "file `\(name)` is a link to a file outside the policy bundle (\(url.resolvingSymlinksInPath().path))")))
                return nil
            }
            return read(url, as: name)
        }
        for name in ["policy.yaml"] + yamlFiles(in: root).filter({ $0 != "policy.yaml" }) {
            if let text = readYAML(name) { sources.append(BundleSource(name: name, text: text, isTest: false)) }
        }
        for name in archived ? [] : yamlFiles(in: root.appendingPathComponent("tests")) {
            let rel = "tests/" + name
            if let text = readYAML(rel) { sources.append(BundleSource(name: rel, text: text, isTest: true)) }
        }
        if !archived { problems += unreadYAMLFiles(in: root) }
        return try load(sources: sources, priorProblems: problems, archived: archived) { path in
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else { return .outside }
            let url = root.appendingPathComponent(path)
            guard fm.fileExists(atPath: url.path) else { return .missing }
            guard isInside(url) else { return .outside }
            // Too large, or not UTF-8 (with the first bad byte's place, as for a YAML file): said as such, at the node that
            // names the file (a review found "cannot be read" alone for both).
            if let size = (try? fm.attributesOfItem(atPath: url.path))?[.size] as? Int, size > YAMLLimits.maxFileBytes {
                return .tooLarge(bytes: size)
            }
            guard let text = read(url, as: path, reportUnreadable: false) else {
                if let data = fm.contents(atPath: url.path), String(data: data, encoding: .utf8) == nil {
                    let at = InvalidUTF8.firstPosition(in: data) ?? (1, 1)
                    return .notUTF8(line: at.line, column: at.column)
                }
                return .unreadable
            }
            return .text(text)
        }
    }

    /// The YAML files in folders below the bundle's own other than `tests/` (hidden folders such as `.git` aside), each
    /// reported as not read: the loader reads `*.yaml` of the bundle folder and of `tests/` only, so a rules file moved
    /// into `rules/` or an old test file into `tests/old/` would drop its forbids or cases without a word (found in a
    /// review of policy authoring: `extra/exports.yaml` passed as "0 export profiles").
    static func unreadYAMLFiles(in root: URL) -> [PolicyDiagnostic] {
        // The folder as it really is: a bundle folder that is a link (to the release in force, docs/ARCHITECTURE.md) is
        // not entered by the enumerator on Linux, which would then find nothing.
        let real = root.resolvingSymlinksInPath().standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: real, includingPropertiesForKeys: [.isDirectoryKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var found: [String] = []
        let prefix = real.path.hasSuffix("/") ? real.path : real.path + "/"
        for case let url as URL in walker {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            let rel = String(path.dropFirst(prefix.count))
            let parts = rel.split(separator: "/")
            // The bundle folder's own files, and those directly in tests/, are read (or reported) by `load`.
            guard parts.count > 1, !(parts.count == 2 && parts[0] == "tests") else { continue }
            let lower = rel.lowercased()
            if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { found.append(rel) }
        }
        return found.sorted().map { rel in
            PolicyDiagnostic(code: "ignored-file", location: SourceLocation(file: rel, line: 1, column: 1),
                message: LocalizedText(de: "Datei `\(rel)` wird nicht gelesen: ein Richtlinienpaket besteht aus den YAML-Dateien seines Ordners und denen in `tests/`, nicht aus Unterordnern; verschieben oder löschen",
                                       en: "file `\(rel)` is not read: a policy bundle is the YAML files of its folder and those in `tests/`, not of subfolders; move or remove it"))
        }
    }

    /// A text file lookup result for consent template texts: its text, or why there is none (`notUTF8`: the place of the
    /// first byte that is not UTF-8; `tooLarge`: its size, over `YAMLLimits.maxFileBytes`).
    public enum TextLookup: Sendable { case text(String), missing, unreadable, outside, notUTF8(line: Int, column: Int), tooLarge(bytes: Int) }

    /// One YAML file of a bundle, by its path relative to the bundle folder.
    public struct BundleSource: Sendable {
        /// The path relative to the bundle folder (`policy.yaml`, `tests/…`); diagnostics' locations name it.
        public var name: String
        /// The file's YAML text.
        public var text: String
        /// Whether it is a `tests/*.yaml` file.
        public var isTest: Bool
        /// Creates a source; a bundle file unless `isTest`.
        public init(name: String, text: String, isTest: Bool = false) { self.name = name; self.text = text; self.isTest = isTest }
    }

    /// Loads a bundle from in-memory files (the first must be `policy.yaml`); `texts` resolves template text paths.
    public static func load(sources: [BundleSource], priorProblems: [PolicyDiagnostic] = [], archived: Bool = false,
                            texts: (String) -> TextLookup) throws(PolicyError) -> PolicyBundle {
        let reader = NodeReader(diagnostics: priorProblems, archived: archived)
        var sections = SectionEntries()
        var header: [String: YAMLNode] = [:]
        var testRoots: [YAMLNode] = []
        var unreadFiles = !priorProblems.isEmpty
        for source in sources {
            var diags: [PolicyDiagnostic] = []
            let node = YAMLReader.parse(source.text, file: source.name, diagnostics: &diags)
            reader.append(diags)
            if node == nil { unreadFiles = true }
            guard let node else { continue }
            if source.isTest { testRoots.append(node); continue }
            let isMain = source.name == "policy.yaml"
            // A file of the bundle with nothing in it (emptied, or only comments) would drop what it held without a word
            // (found in a review of policy authoring: an emptied `exports.yaml` passed as "0 export profiles").
            // That problem alone, as for a file that does not read: the checks across files would report everything it held
            // as unknown (a review: an empty `policy.yaml` gave 540 problems, an emptied `rules.yaml` 43 from the tests).
            if !reader.archived, case .mapping(let members) = node.kind, members.isEmpty {
                reader.report("empty-file", at: node.location,
                              de: "Datei `\(source.name)` enthält nichts (leer oder nur Kommentare); \(isMain ? "füllen" : "löschen oder füllen")",
                              en: "file `\(source.name)` holds nothing (empty, or comments only); \(isMain ? "fill it" : "remove it or fill it")")
                unreadFiles = true
                continue
            }
            let headerKeys = ["apiVersion", "id", "version", "title", "municipalities"]
            let allowed = (isMain ? headerKeys : []) + SectionEntries.sectionKeys
            let top = reader.object(node, what: source.name, allowed: allowed,
                                    required: isMain ? ["apiVersion", "id", "version", "title"] : [])
            if isMain { for k in headerKeys { header[k] = top[k] } }
            sections.add(top, reader: reader)
        }
        // A file that could not be read or parsed (not UTF-8, a YAML syntax error): its sections are missing, so every
        // check across files would report what it declares as unknown (found in a review: one syntax error in
        // `rules.yaml` gave 41 problems, an invalid UTF-8 `policy.yaml` 530, the real one buried first). Those problems
        // alone; the checks across files run once every file reads, as a compiler stops after a syntax error.
        if unreadFiles { throw .invalidBundle(reader.diagnostics) }
        let api = reader.string(header["apiVersion"], what: "apiVersion")
        if let api, api != apiVersion, let node = header["apiVersion"] {
            reader.report("invalid-value", at: node.location, de: "apiVersion `\(api)` wird nicht unterstützt (erwartet \(apiVersion))",
                          en: "apiVersion `\(api)` is not supported (expected \(apiVersion))")
        }
        let id = reader.string(header["id"], what: "id") ?? ""
        let version = reader.string(header["version"], what: "version") ?? ""
        let title = header["title"].flatMap { reader.label($0, what: "title", at: $0.location) } ?? LocalizedText(de: "", en: "")

        let municipalities = MunicipalityListParser(reader: reader).parse(header["municipalities"])
        let declarations = DeclarationParser(reader: reader, sections: sections)
        var decl = declarations.parse()
        decl.municipalities = CountyMunicipalities(municipalities)
        let ruleParser = RuleParser(reader: reader, declarations: decl)
        ruleParser.checkMunicipalityFieldValues()
        let rules = ruleParser.parseRules(sections.rules)
        let templates = TemplateParser(reader: reader, declarations: decl).parseTemplates(sections.templates, texts: texts)
        let exports = TemplateParser(reader: reader, declarations: decl).parseExports(sections.exports, conditions: ruleParser)
        let formLanguages = FormLanguageParser(reader: reader, declarations: decl).parse(sections.formLanguages, templates: templates)
        var bundle = PolicyBundle(id: id, version: version, title: title, categories: decl.categories, fields: decl.fields,
                                  attributes: decl.attributes, partners: decl.partners, purposes: decl.purposes,
                                  rules: rules, templates: templates, exports: exports, municipalities: municipalities,
                                  formLanguages: formLanguages)
        // A permit that can never release anything is one problem, under its cause: no template at all (one missing file
        // behind every consent rule) before the forbids that would also shadow some of them; else a forbid's shadow first.
        if bundle.templates.isEmpty {
            ShadowCheck.check(bundle, reader: reader, skipping: ConsentCoverageCheck.check(bundle, reader: reader))
        } else {
            ConsentCoverageCheck.check(bundle, reader: reader, skipping: ShadowCheck.check(bundle, reader: reader))
        }
        bundle.tests = TestCaseParser(reader: reader, bundle: bundle, conditions: ruleParser).parse(testRoots)
        if !reader.diagnostics.isEmpty { throw .invalidBundle(reader.diagnostics) }
        return bundle
    }
}

/// The entries of each section, gathered across the bundle's files (so a duplicate across files is found too).
struct SectionEntries {
    static let sectionKeys = ["categories", "fields", "subject-attributes", "partners", "purposes", "rules",
                              "consent-templates", "exports", "form-languages"]
    typealias Entry = (key: String, location: SourceLocation, value: YAMLNode)
    var categories: [Entry] = [], fields: [Entry] = [], attributes: [Entry] = [], partners: [Entry] = []
    var purposes: [Entry] = [], templates: [Entry] = [], exports: [Entry] = [], formLanguages: [Entry] = []
    var rules: [YAMLNode] = []

    mutating func add(_ top: [String: YAMLNode], reader: NodeReader) {
        func e(_ key: String) -> [Entry] { top[key].map { reader.entries($0, what: key) } ?? [] }
        categories += e("categories"); fields += e("fields"); attributes += e("subject-attributes")
        partners += e("partners"); purposes += e("purposes"); templates += e("consent-templates"); exports += e("exports")
        formLanguages += e("form-languages")
        if let r = top["rules"] {
            switch r.kind {
            case .sequence(let items): rules += items
            default:
                if !r.isNull { reader.report("wrong-type", at: r.location, de: "rules: Liste erwartet", en: "rules: a list was expected") }
            }
        }
    }
}
