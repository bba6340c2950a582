import ArgumentParser
import AuditLog
import Diagnostics
import Foundation
import Gate
import StrictJSON

/// `audit log [filters] [--json]`: entries as a table or JSON lines; records an `audit-read` entry.
struct AuditLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log",
        abstract: HelpText.text("List log entries (filters: subject, partner, purpose, kind, actor, municipality, time).",
                                de: "Protokolleinträge auflisten (Filter: Person, Partner, Zweck, Art, Akteur, Kommune, Zeit)."))

    @OptionGroup var keys: AuditKeyOptions
    @OptionGroup var filters: AuditFilterOptions
    // `.unconditional`: `--limit -5` is a value to refuse by name (`validate`), not "missing value" (found in a review).
    @Option(parsing: .unconditional, help: HelpText.help("At most this many entries.", de: "Höchstens so viele Einträge.")) var limit: Int?
    @Option(parsing: .unconditional, help: HelpText.help("Only entries with an index above this one (the next page after --limit: the last index printed).",
                                de: "Nur Einträge mit einem Index über diesem (die nächste Seite nach --limit: der zuletzt ausgegebene Index)."))
    var after: Int64?
    @Flag(help: HelpText.help("JSON lines: {\"index\": N, \"entry\": {...}} per entry.",
                              de: "JSON Lines: je Eintrag {\"index\": N, \"entry\": {...}}."))
    var json = false

    /// A limit below 1 or a negative index is a mistake to name: before, `--limit=-5` listed every entry.
    func validate() throws {
        if let limit, limit < 1 {
            throw ValidationError(HelpText.text("--limit takes a whole number of entries from 1 up, not \(limit)",
                                                de: "--limit erwartet eine ganze Zahl von Einträgen ab 1, nicht \(limit)"))
        }
        if let after, after < 0 {
            throw ValidationError(HelpText.text("--after takes an entry index (0 or more), not \(after)",
                                                de: "--after erwartet einen Eintragsindex (0 oder größer), nicht \(after)"))
        }
    }

    func run() async throws {
        try AuditRun.run(language: keys.language) {
            var query = try filters.query()
            query.limit = limit
            query.after = after
            let signer = try AuditKeySource.signer(keys)
            let store = try AuditRun.store(keys, command: "audit log")
            // Each entry printed as it is read (after the read is logged): memory does not grow with the answer, and the
            // first line comes at once (before 2026-12-06 all of it was read first: 4.3 GB for a month's disclosures).
            let de = keys.language == .de
            var printed = false
            func header() {
                guard !json, !printed else { return }
                printed = true
                print([de ? "Index" : "index", de ? "Zeit" : "time", de ? "Art" : "kind", de ? "Akteur" : "actor",
                       de ? "Person" : "subject", de ? "Partner" : "partner", de ? "Zweck" : "purpose",
                       de ? "Felder / Angaben" : "fields / details"].joined(separator: "\t"))
            }
            let found = try store.readRecorded(query, actor: keys.resolvedActor, command: "audit log", signer: signer) { s in
                header()
                if json {
                    AuditRun.printJSON(.object(["index": .int(s.index), "entry": s.entry.json]))
                } else {
                    let e = s.entry
                    print(["\(s.index)", e.time, e.kind.rawValue, e.actor, e.subject ?? "-", e.partner ?? "-", e.purpose ?? "-",
                           Self.details(e.content)].joined(separator: "\t"))
                }
                try StandardOutput.requireNoFailure()
            }
            // Nothing found: say so when a filter's value is carried by no entry at all (a typo), rather than an empty table.
            if found == 0 { try AuditFilterNamesNothing.check(filters, in: store, policy: AuditFilterNamesNothing.policyInForce(), language: de ? .de : .en) }
            header()
        }
    }

    /// The last column of the table: the fields of a decision (with outcome) or disclosure (with basis), and for every
    /// other kind what a reviewer needs to tell one entry from the next (`name=value`, as in the entry's JSON). Before
    /// 2026-12-05 it was empty for those kinds: an `erasure-notice` row did not say which partner was told (its
    /// recipients are `notify`, not the partner column), a `policy-loaded` row not which bundle came into force.
    static func details(_ content: AuditContent) -> String {
        // Values are any text (an audit-read's filters as given): control characters escaped (`\n`, `\t`, `\u{1B}`), so a
        // value never breaks the table's line or columns (AuditLogDetailsControlCharactersCLITests).
        func shown(_ value: String) -> String {
            value.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: false) : String($0) }.joined()
        }
        func pairs(_ items: [(String, String?)]) -> String {
            items.compactMap { name, value in value.map { "\(name)=\(shown($0))" } }.joined(separator: " ")
        }
        switch content {
        case let .decision(d): return d.fields.map { "\($0.field)=\($0.outcome.rawValue)" }.joined(separator: ",")
        case let .disclosure(d): return d.fields.map { "\($0.field)(\($0.basis.rawValue))" }.joined(separator: ",")
        case let .consentGranted(c):
            return pairs([("consent", c.consentID), ("clauses", c.clauses.joined(separator: ",")), ("expires-at", c.expiresAt),
                          ("birth-date-changed", c.birthDateChange.map { "age \($0.ageBefore)->\($0.ageAfter)" })])
        case let .consentWithdrawn(c):
            return pairs([("consent", c.consentID), ("clauses", c.clauses?.joined(separator: ",")), ("withdrawn-at", c.withdrawnAt)])
        case let .policyLoaded(p):
            return pairs([("bundle", p.bundleID), ("version", p.version), ("digest", p.digest), ("previous-digest", p.previousDigest)])
        case let .exportRun(r): return pairs([("run", r.runID), ("records", "\(r.records)"), ("quarantined", "\(r.quarantined)")])
        case let .erasureNotice(n):
            return pairs([("notify", n.notify.joined(separator: ",")), ("reason", n.reason), ("clauses", n.clauses?.joined(separator: ",")),
                          ("channel", n.channel)])
        case let .keyEvent(k): return pairs([("event", k.event), ("kid", k.kid), ("roles", k.roles.joined(separator: ","))])
        case let .accountEvent(a): return pairs([("event", a.event), ("account", a.account), ("role", a.role), ("municipality", a.municipality)])
        case let .auditRead(r):
            return pairs([("command", r.command)] + r.filters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + [("results", "\(r.results)")])
        }
    }
}

/// `audit report --subject S`: the GDPR Art. 15(1)(c) answer as HTML or JSON; records an `audit-read` entry.
struct AuditReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report",
        abstract: HelpText.text("The GDPR Art. 15(1)(c) report for one person: recipients, dates, purposes, fields, basis.",
                                de: "Auskunft nach Art. 15 Abs. 1 lit. c DSGVO für eine Person: Empfänger, Zeitpunkte, Zwecke, Felder, Rechtsgrundlage."))

    @OptionGroup var keys: AuditKeyOptions
    @Option(help: HelpText.help("The subject's case id.", de: "Fall-ID der betroffenen Person.")) var subject: String
    @Option(help: HelpText.help("html or json (default html).", de: "html oder json (Standard: html).")) var format: String?
    @Flag(help: HelpText.help("Same as --format json.", de: "Wie --format json.")) var json = false
    @Option(help: HelpText.help("Write to this file (atomically) instead of standard output; an existing file only with --force.",
                                de: "In diese Datei schreiben (atomar) statt auf die Standardausgabe; eine vorhandene Datei nur mit --force."))
    var output: String?
    @Flag(help: HelpText.help("Replace an existing --output file.", de: "Eine vorhandene --output-Datei ersetzen."))
    var force = false
    @Option(help: HelpText.help("Policy bundle folder whose partner, purpose and field names the report shows where the policy a row was decided under is not archived (default: policies/kim-rhein-sieg when it loads; else the archived policy last in force; else ids only). Rows are named from the policy archive first.",
                                de: "Ordner des Richtlinienpakets, dessen Partner-, Zweck- und Feldnamen die Auskunft dort zeigt, wo die Richtlinie einer Zeile nicht archiviert ist (Standard: policies/kim-rhein-sieg, falls es lädt; sonst die zuletzt geltende archivierte Richtlinie; sonst nur IDs). Zeilen werden zuerst aus dem Richtlinienarchiv benannt."))
    var policy: String?
    @Flag(help: HelpText.help("Do not check the log first (as audit verify does; about a second per million entries). Without this flag a report drawn from a log that fails the check is still written, with the problem on standard error and exit code 4.",
                              de: "Das Protokoll nicht vorher prüfen (wie audit verify; etwa eine Sekunde je Million Einträge). Ohne diesen Schalter wird eine Auskunft aus einem Protokoll, das die Prüfung nicht besteht, trotzdem geschrieben, mit dem Befund auf der Standardfehlerausgabe und Exit-Code 4."))
    var noVerify = false

    func run() async throws {
        try AuditRun.run(language: keys.language) {
            // Before the read is recorded: a refused target leaves no `audit-read` entry for a report nobody got; nor does
            // a subject no person can have (found in a review: `--subject ""` printed an empty report, exit 0).
            try CheckRequestError.requireCaseID(subject)
            if let output { try OutputFile.refuseExisting(output, force: force, option: "--output") }
            // A folder named with --policy must load: refused before the key and the database are opened.
            let named = try policy.map { try AuditReportLabels.load(explicit: $0) }
            let language = keys.language
            let format = try AuditRun.format(self.format, json: json, allowed: ["html", "json"])
            let signer = try AuditKeySource.signer(keys)
            let database = try ExistingDatabase.open(keys.db ?? AppDatabase.defaultPath(), command: "audit report")
            let labels = try named ?? AuditReportLabels.load(database: database, language: language)
            let store = AuditLogStore(writer: database.writer)
            // Checked before the read is recorded: the report answers from the log as it was found.
            let problem = noVerify ? nil : try ReportLogVerification.problem(keys, store: store)
            // A log changed outside ConsentGate takes no entry (`AppendBase`): the report is then read without recording
            // the read, and the command says so (an Art. 15 request has a deadline; the log's state is the finding).
            let found: [StoredEntry]
            var unrecorded: (any UserFacingError)? = nil
            do {
                found = try store.readRecorded(AuditQuery(subject: subject), actor: keys.resolvedActor, command: "audit report", signer: signer)
            } catch let refused as AuditLogError where refused.category == .integrity {
                found = try store.entries(matching: AuditQuery(subject: subject))
                unrecorded = refused
            }
            let citations = RuleCitations(database: database)
            let report = SubjectReport(subject: subject, entries: found, checkpoint: try store.latestCheckpoint(),
                                       citations: try citations.table(for: found), policies: citations.names(for: found))
            let text = format == "json" ? report.json(labels: labels).canonicalText + "\n"
                                        : report.html(language: language, labels: labels)
            if let output { try AuditFiles.writeAtomically(text, to: output, force: force) } else { print(text, terminator: "") }
            if let problem = problem ?? unrecorded { throw ReportFromUnverifiedLog(problem: problem, readUnrecorded: unrecorded != nil) }
        }
    }
}

/// `audit stats --by partner,month`: disclosures and releasing checks as CSV or SVG; records an `audit-read` entry.
struct AuditStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats",
        abstract: HelpText.text("Disclosures and checks releasing data (referral checks that released at least one field) per partner and/or month, as CSV or an SVG bar chart.",
                                de: "Weitergaben und Prüfungen mit Freigabe (Weitergabeprüfungen, die mindestens ein Feld freigaben) je Partner und/oder Monat, als CSV oder SVG-Balkendiagramm."))

    @OptionGroup var keys: AuditKeyOptions
    @OptionGroup var filters: AuditFilterOptions
    @Option(help: HelpText.help("Group by: partner, month or partner,month.",
                                de: "Gruppieren nach: partner, month oder partner,month."))
    var by: String = "partner,month"
    @Option(help: HelpText.help("csv, svg or json (default csv).", de: "csv, svg oder json (Standard: csv).")) var format: String?
    @Flag(help: HelpText.help("Same as --format json: {\"by\": [...], \"rows\": [{partner, month, disclosures, referrals}]}.",
                              de: "Wie --format json: {\"by\": [...], \"rows\": [{partner, month, disclosures, referrals}]}."))
    var json = false
    @Option(help: HelpText.help("Write to this file (atomically) instead of standard output; an existing file only with --force.",
                                de: "In diese Datei schreiben (atomar) statt auf die Standardausgabe; eine vorhandene Datei nur mit --force."))
    var output: String?
    @Flag(help: HelpText.help("Replace an existing --output file.", de: "Eine vorhandene --output-Datei ersetzen."))
    var force = false

    func run() async throws {
        try AuditRun.run(language: keys.language) {
            if let output { try OutputFile.refuseExisting(output, force: force, option: "--output") }
            var dims: [DisclosureStats.Dimension] = []
            for part in by.split(separator: ",") {
                guard let d = DisclosureStats.Dimension(rawValue: String(part)) else {
                    throw AuditCLIError.badOption(name: "--by", value: String(part), allowed: ["partner", "month"])
                }
                dims.append(d)
            }
            let format = try AuditRun.format(self.format, json: json, allowed: ["csv", "svg", "json"], default: "csv")
            let language = keys.language
            // The statistics count whole periods: a kind filter would silently count everything (found in a review,
            // 2026-12-06); refused before the key or the database is opened, like every usage error.
            if let kind = filters.kind { throw AuditCLIError.notForStats(option: "--kind", value: kind) }
            let query = try filters.query()
            let signer = try AuditKeySource.signer(keys)
            let store = try AuditRun.store(keys, command: "audit stats")
            let stats = try store.stats(by: dims, query: query)
            var recorded = DisclosureStats.counted(query).description
            recorded["by"] = by
            try store.recordRead(command: "audit stats", filters: recorded, results: Int64(stats.rows.count),
                                 actor: keys.resolvedActor, signer: signer)
            if stats.rows.isEmpty { try AuditFilterNamesNothing.check(filters, in: store, policy: AuditFilterNamesNothing.policyInForce(), language: language) }
            let text = switch format {
            case "json": stats.json.canonicalText + "\n"
            case "svg": stats.svg(language: language)
            default: stats.csv(language: language)
            }
            if let output { try AuditFiles.writeAtomically(text, to: output, force: force) } else { print(text, terminator: "") }
        }
    }
}

/// Hidden: appends entries in a loop, printing each committed index (crash-test helper).
struct AuditCrashWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crash-writer",
        abstract: "Test helper: append entries until killed, printing each committed index.", shouldDisplay: false)

    @OptionGroup var keys: AuditKeyOptions
    @Option(help: "Entries per append batch.") var batch: Int = 1
    @Option(help: "Stop after this many batches (default: until killed).") var count: Int?
    @Flag(help: "Append through the pipelined appendBatches (each index printed once durable).") var pipelined = false

    func run() async throws {
        try AuditRun.run(language: keys.language) {
            let signer = try AuditKeySource.signer(keys)
            let store = try AuditRun.creatingStore(keys)
            let batch = max(1, self.batch)
            func entries(_ n: Int) -> [AuditEntry] {
                (0..<batch).map { i in
                    AuditEntry(actor: "crash-writer", content: .disclosure(DisclosureRecord(
                        partner: "schulamt", purpose: "school-planning", subject: "RSK-2026-\(n)-\(i)",
                        fields: [DisclosedField(field: "name.family", basis: .statute, rule: "school-children")], exportRun: "crash")))
                }
            }
            // One line per committed index; flushed so the parent sees it before any kill.
            func report(_ indices: [Int64]) {
                StandardOutput.write(indices.map(String.init).joined(separator: "\n") + "\n")
                try? StandardOutput.flush()
            }
            let batches = (0..<(count ?? Int.max)).lazy.map(entries)
            if pipelined {
                try store.appendBatches(batches, signer: signer, durable: report)
            } else {
                for b in batches { report(try store.append(b, signer: signer)) }
            }
        }
    }
}
