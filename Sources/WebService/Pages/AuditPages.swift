import AuditLog
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing

/// The DPO's pages: the audit log with filters and its verification status (green when `audit
/// verify` holds), an entry with "explain again", the Art. 15 report of a person, and disclosures
/// per partner per month. Every read is logged as `audit-read`.
enum AuditPages {
    static let title = LocalizedText(de: "Prüfprotokoll", en: "Audit log")

    static func register(_ r: RouteRegistrar) {
        let gate = r.environment.gate
        let verificationCache = r.environment.verificationCache
        let longWork = r.environment.longWork
        r.page(.get, "/audit", access: .roles(AuditRoutes.roles)) { request, page in
            let l = page.language
            // Newest first (a DPO opens the log for what happened lately), one page of `limit` (default 200) at a time,
            // the next page by index (`before`); a date typed into the filter is a day in Europe/Berlin, as shown.
            // `after` (the "newer entries" link) reads the page just above that index, oldest first, shown newest first.
            var q: AuditQuery
            switch try queryProblems(request, controls: filterControls, form: "audit-filters", untilControl: "f-until", read: { try AuditRoutes.query(request) }) {
            case let .read(query): q = query
            case let .refused(problems):
                // A filter refused (a date that is none, an empty period, a kind not known): the filters again, kept.
                let content: HTML = "\(problems.summary(language: l))\(filterForm(request, problems: problems, bundle: gate.policy.bundle, language: l))"
                return PageResponse.html(page.layout.render(title: title, content: content), status: problems.status)
            }
            let forward = q.after != nil && q.before == nil
            q.newestFirst = !forward
            let (actor, filters) = (page.account!.name, q)
            var found = try await longWork.run { try gate.auditLog.readRecorded(filters, actor: actor, command: "GET /audit", signer: gate.auditSigner()) }
            // A full page read forward may be the last one: whether anything above it matches (one row, by index) decides
            // the "newer entries" link, which otherwise led to an empty page (found in a review at scale).
            var newerMatch = true
            if forward, let newest = found.last?.index, let limit = filters.limit, found.count == limit {
                var above = filters
                above.after = newest; above.limit = 1
                let query = above
                newerMatch = try await BlockingWork.run { try !gate.auditLog.entries(matching: query).isEmpty }
            }
            if forward { found.reverse() }
            // One page of more: paged to, or as many found as a page holds.
            let isPage = filters.before != nil || filters.after != nil || filters.limit.map { found.count >= $0 } == true
            let fresh = request.uri.queryParameters["verify"].map { $0 == "now" } ?? false
            let status = await verificationCache.status(gate: gate, fresh: fresh)
            let verification = verificationNotice(status, request: request, language: l)
            let rows = found.map { e -> HTML in
                let x = e.entry
                let when = RFC3339.parse(x.time).map { BerlinTime.element($0, language: l) } ?? escaped(x.time)
                // Partner and purpose by the policy's names, as the filters above offer them (found in a review: ids).
                let partner = x.partner.map { id in gate.policy.bundle.partner(id)?.name[l] ?? id } ?? ""
                let purpose = x.purpose.map { id in gate.policy.bundle.purpose(id)?.label[l] ?? id } ?? ""
                return "<tr><td><a href=\"/audit/entries/\(Int(e.index))\">\(entryLinkWord(l))\(Int(e.index))</a></td><td>\(when)</td><td data-kind=\"\(x.kind.rawValue)\">\(kindName(of: x.content)[l])</td><td>\(x.actor)</td><td>\(x.subject ?? "")</td><td data-partner=\"\(x.partner ?? "")\">\(partner)</td><td data-purpose=\"\(x.purpose ?? "")\">\(purpose)</td></tr>"
            }
            let content: HTML = """
            \(verification)
            \(filterForm(request, problems: FormProblems(), bundle: gate.policy.bundle, language: l))
            \(filterHints(filters, bundle: gate.policy.bundle, language: l))
            \(filterSummary(request, parameters: ["kind", "partner", "purpose", "subject", "actor", "municipality", "since", "until"], bundle: gate.policy.bundle,
                            language: l, kinds: filters.kinds, window: isPage ? found.map(\.index).min().flatMap { low in found.map(\.index).max().map { low...$0 } } : nil))
            <p class="no-print"><a href="/audit/report">\(l == .de ? "Auskunft nach Art. 15 DSGVO" : "GDPR Art. 15 report")</a> · <a href="/audit/stats">\(l == .de ? "Statistik" : "Statistics")</a></p>
            <table id="entries"><caption>\(entriesCaption(found.count, language: l))</caption>
            <thead><tr><th scope="col">#</th><th scope="col">\(l == .de ? "Zeit" : "Time")</th><th scope="col">\(l == .de ? "Art" : "Kind")</th><th scope="col">\(l == .de ? "Wer" : "Who")</th><th scope="col">\(l == .de ? "Fall-ID" : "Case id")</th><th scope="col">\(l == .de ? "Stelle" : "Partner")</th><th scope="col">\(l == .de ? "Zweck" : "Purpose")</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            \(pagingLinks(request, found: found, query: q, newerMatch: newerMatch, language: l))
            """
            return PageResponse.html(page.layout.render(title: title, content: content))
        }
        r.page(.get, "/audit/entries/{index}", access: .roles(AuditRoutes.roles)) { request, page in
            let l = page.language
            let index = try PathParameter.index("index", in: page.context)
            let (actor, wantsExplanation) = (page.account!.name, request.uri.queryParameters["explain"] != nil)
            let (e, explain) = try await BlockingWork.run {
                try entryWork(index, explain: wantsExplanation, actor: actor, gate: gate, language: l)
            }
            let pretty = String(decoding: e.bytes, as: UTF8.self)
            let warning = verificationWarning(verificationCache.lastResult(), language: l)
            let explainLink: HTML = { if case .decision = e.entry.content { return "<p class=\"no-print\"><a href=\"/audit/entries/\(Int(index))?explain=1#explain\">\(l == .de ? "Erneut erklären" : "Explain again")</a></p>" } else { return .empty } }()
            let content: HTML = """
            \(warning)
            <p>\(l == .de ? "Eintrag" : "Entry") \(Int(index)) · <span id="entry-kind">\(kindName(of: e.entry.content)[l])</span> (\(e.entry.kind.rawValue)) · \(RFC3339.parse(e.entry.time).map { BerlinTime.element($0, language: l) } ?? escaped(e.entry.time))</p>
            \(AuditEntryFields.html(e.bytes, bundle: gate.policy.bundle, language: l) ?? .empty)
            <h2 id="entry-stored">\(l == .de ? "Gespeicherter Eintrag (kanonisches JSON, so in das Protokoll aufgenommen)" : "Stored entry (canonical JSON, as taken into the log)")</h2>
            <pre class="entry">\(pretty)</pre>
            \(explainLink)\(explain)
            <p class="no-print"><a href="/audit">\(title[l])</a></p>
            """
            return PageResponse.html(page.layout.render(title: entryTitle(Int(index)), content: content))
        }
        registerReport(r)
        r.page(.get, "/audit/stats", access: .roles(AuditRoutes.roles)) { request, page in
            let l = page.language
            let actor = page.account!.name
            // A period, as the API takes it (`since`, `until`: dates in Europe/Berlin or RFC 3339 times); before
            // 2026-12-06 the page had no choice and ignored `?since=`, always counting the whole log.
            let period: AuditQuery
            switch try queryProblems(request, controls: ["since": "s-since", "until": "s-until"], form: "stats-period", untilControl: "s-until",
                                     read: { try statsPeriod(request) }) {
            case let .read(chosen): period = chosen
            case let .refused(problems):
                let content: HTML = "\(problems.summary(language: l))\(statsPeriodForm(request, problems: problems, language: l))"
                return PageResponse.html(page.layout.render(title: statsTitle, content: content), status: problems.status)
            }
            let stats = try await longWork.run {
                try gate.disclosureStats(by: [.partner, .month], query: period, actor: actor, command: "GET /audit/stats")
            }
            let warning = verificationWarning(verificationCache.lastResult(), language: l)
            let maximum = max(1, stats.rows.map(\.disclosures).max() ?? 1)
            let rows = stats.rows.map { row -> HTML in
                let partner = row.partner.flatMap { gate.policy.bundle.partner($0)?.name[l] } ?? row.partner ?? ""
                // Every month with a disclosure gets at least one block: a bar of none would read as zero.
                let width = row.disclosures == 0 ? 0 : max(1, Int((Double(row.disclosures) / Double(maximum) * 20).rounded()))
                return "<tr><td data-month=\"\(row.month ?? "")\">\(monthText(row.month, l))</td><td>\(partner)</td><td>\(Int(row.disclosures))</td><td aria-hidden=\"true\">\(String(repeating: "█", count: width))</td><td>\(Int(row.referrals))</td></tr>"
            }
            let content: HTML = """
            \(warning)
            \(statsPeriodForm(request, problems: FormProblems(), language: l))
            \(filterSummary(request, parameters: ["since", "until"], bundle: gate.policy.bundle, language: l))
            <table id="stats"><caption>\(l == .de ? "Weitergaben und Prüfungen mit Freigabe je Stelle und Monat" : "Disclosures and checks releasing data per partner per month")</caption>
            <thead><tr><th scope="col">\(l == .de ? "Monat" : "Month")</th><th scope="col">\(l == .de ? "Stelle" : "Partner")</th><th scope="col" data-count="disclosures">\(DisclosureStats.disclosuresLabel[l])</th><th scope="col"><span class="visually-hidden">\(l == .de ? "Balken" : "Bar")</span></th><th scope="col" data-count="releasing-checks">\(DisclosureStats.releasingChecksLabel[l])</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            \(stats.rows.isEmpty ? "<p id=\"stats-empty\"><em>\(l == .de ? "Im Protokoll sind keine Weitergaben und keine Prüfungen mit Freigabe verzeichnet." : "The log records no disclosures and no checks releasing data.")</em></p>" as HTML : .empty)
            <p id="stats-explained" class="muted">\(DisclosureStats.countsExplained[l])</p>
            """
            return PageResponse.html(page.layout.render(title: statsTitle, content: content))
        }
    }

    /// A month of the statistics (`2026-11`, a month in Europe/Berlin) in words: `November 2026` (the id stays in
    /// `data-month`); as stored when it is not of that form.
    static func monthText(_ month: String?, _ l: Language) -> String {
        guard let month else { return "" }
        let parts = month.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return month }
        let names = l == .de
            ? ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]
            : ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(names[m - 1]) \(year)"
    }

    static let statsTitle = LocalizedText(de: "Statistik", en: "Statistics")

    /// What the entry page reads and evaluates: the entry, the `audit-read` logged for it, and the section under it
    /// ("explain again" of a decision when `explain` is asked for, what a `policy-loaded` entry changed). Both sections
    /// read the database and evaluate policies (the archived one and today's), so this runs on `BlockingWork`'s threads
    /// and refuses to run anywhere else (`BlockingWork.requireCurrent`). Before, they ran on the concurrency pool's
    /// threads that serve every request, while every other audit read already went through `BlockingWork.run`.
    static func entryWork(_ index: Int64, explain: Bool, actor: String, gate: Gate, language l: Language) throws -> (StoredEntry, HTML) {
        try BlockingWork.requireCurrent()
        let e = try AuditRoutes.entry(index, gate: gate)
        try gate.auditLog.recordRead(command: "GET /audit/entries/{index}", filters: ["index": String(index)], results: 1,
                                     actor: actor, signer: gate.auditSigner())
        var section: HTML = .empty
        if explain, case .decision = e.entry.content {
            section = explainSection(try gate.explainDecision(index: index), policy: gate.policy, language: l)
        }
        if case .policyLoaded(let loaded) = e.entry.content {
            section = try policyChangeSection(loaded, gate: gate, language: l)
        }
        return (e, section)
    }

    /// "Explain again": whether the decision reproduces with the policy of its time and would come out the same
    /// today, each with the fields that differ, and per field the outcome, the reason in words, the rule and the norm
    /// (or consent and clause) as the policy of the time decides it (today's, when that policy is not archived; then
    /// said so), and today's where it differs.
    static func explainSection(_ replay: DecisionReplay, policy: CompiledPolicy, language l: Language) -> HTML {
        var parts: [HTML] = []
        if let archived = replay.withArchivedPolicy {
            parts.append(replay.reproduces
                ? "<p id=\"explain-archived\" data-reproduces=\"true\">\(l == .de ? "Die Entscheidung lässt sich mit der damaligen Richtlinie genau nachvollziehen." : "The decision reproduces exactly with the policy of the time.")</p>"
                : "<p id=\"explain-archived\" data-reproduces=\"false\">\(l == .de ? "Die Entscheidung lässt sich NICHT genau nachvollziehen; mit der damaligen Richtlinie abweichend:" : "The decision does NOT reproduce exactly; with the policy of the time different:") \(replay.differencesArchived.joined(separator: ", "))</p>")
            parts.append(decisionTable(archived, id: "explain-then", caption: LocalizedText(de: "Mit der damaligen Richtlinie", en: "With the policy of the time"), policy: policy, citing: replay.archivedPolicy, consents: replay.consents, language: l))
        } else {
            parts.append("<p id=\"explain-archived\" data-reproduces=\"false\">\(l == .de ? "Die damalige Richtlinie ist nicht archiviert" : "The policy of the time is not archived") (\(replay.loggedPolicyDigest ?? "–")); \(l == .de ? "die Entscheidung lässt sich daher nicht nachvollziehen." : "so the decision cannot be reproduced.")</p>")
        }
        if replay.sameToday {
            parts.append("<p id=\"explain-today\" data-same=\"true\">\(l == .de ? "Heute fiele sie gleich aus." : "Today it would come out the same.")</p>")
        } else {
            parts.append("<p id=\"explain-today\" data-same=\"false\">\(l == .de ? "Heute fiele sie anders aus bei:" : "Today it would differ for:") \(replay.differencesCurrent.joined(separator: ", "))</p>")
        }
        for w in replay.withdrawnSince {
            let words = w.explainWords(l) { RFC3339.parse($0).map { BerlinTime.format($0, language: l) } ?? $0 }
            parts.append("<p class=\"alert\" data-withdrawn-since=\"\(w.consent)\">\(words)</p>")
        }
        if !replay.releasedOnWithdrawnConsent.isEmpty {
            parts.append("<p class=\"alert\" id=\"explain-released-on-withdrawn\">\(replay.releasedOnWithdrawnWords(l))</p>")
        }
        if replay.withArchivedPolicy == nil || !replay.sameToday {
            parts.append(decisionTable(replay.withCurrentPolicy, id: "explain-now", caption: LocalizedText(de: "Mit der heutigen Richtlinie", en: "With today's policy"), policy: policy, consents: replay.consents, language: l))
        }
        return "<section id=\"explain\" aria-labelledby=\"explain-h\"><h2 id=\"explain-h\">\(l == .de ? "Erneut erklärt" : "Explained again")</h2>\(parts)</section>"
    }

    /// One evaluation of a decision, a row per requested field: outcome, reason in words with the rule, and the
    /// legal basis (the rule's norm, in `l` where `citing`, the policy `d` was made under (default `policy`), gives it;
    /// consent and clause).
    static func decisionTable(_ d: Decision, id: String, caption: LocalizedText, policy: CompiledPolicy, citing: CompiledPolicy? = nil,
                              consents: [ConsentFact] = [], language l: Language) -> HTML {
        let rows = d.fields.map { f -> HTML in
            let permitted = f.outcome == .permit
            let outcome = permitted ? (l == .de ? "✔ darf weitergegeben werden" : "✔ may pass") : (l == .de ? "✘ darf nicht weitergegeben werden" : "✘ may not pass")
            let reason = permitted ? (f.consent == nil ? (l == .de ? "gesetzliche Grundlage" : "statutory basis") : (l == .de ? "Einwilligung" : "consent"))
                                   : (policy.denialWords(for: f, consents: consents, time: BerlinTime.words)?[l] ?? (l == .de ? "nicht erlaubt" : "not permitted"))
            let rule: HTML = f.rule.map { " <span class=\"muted\">(\(l == .de ? "Regel" : "rule") \($0))</span>" } ?? .empty
            var basis = (citing ?? policy).citation(of: f, in: d, language: l) ?? ""
            if let c = f.consent {
                basis += (basis.isEmpty ? "" : "; ") + (l == .de ? "Einwilligung \(c.id), Klausel \(c.clause)" : "consent \(c.id), clause \(c.clause)")
            }
            return "<tr data-field=\"\(f.field)\"><th scope=\"row\">\(PolicyWidgets.fieldLabel(f.field, policy: policy, language: l)) <span class=\"muted\">(\(f.field))</span></th><td data-outcome=\"\(f.outcome.rawValue)\">\(outcome)</td><td>\(reason)\(rule)</td><td>\(basis.isEmpty ? "–" : basis)</td></tr>"
        }
        return """
        <table id="\(id)"><caption>\(caption[l]) (\(d.policy.id) \(d.policy.version))</caption>
        <thead><tr><th scope="col">\(l == .de ? "Feld" : "Field")</th><th scope="col">\(l == .de ? "Ergebnis" : "Outcome")</th><th scope="col">\(l == .de ? "Begründung" : "Reason")</th><th scope="col">\(l == .de ? "Rechtsgrundlage" : "Legal basis")</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """
    }

    /// The title (and `h1`) of one entry's page: its own, so tabs, the history and a screen reader's announcement of
    /// the page say which entry it is (every entry's page was titled like the log).
    static func entryTitle(_ index: Int) -> LocalizedText {
        LocalizedText(de: "Protokolleintrag \(index)", en: "Audit log entry \(index)")
    }

    /// The word before the number of a link to a log entry, for screen readers only (the column says it to the eye):
    /// a list of links read out, or a voice command, gets "Eintrag 17", not a bare "17".
    static func entryLinkWord(_ l: Language) -> HTML {
        "<span class=\"visually-hidden\">\(l == .de ? "Eintrag" : "Entry")</span> "
    }

    /// `text` as HTML text (escaped).
    static func escaped(_ text: String) -> HTML { "\(text)" }

    /// The name of an entry in words, as the log's list and the entry's page show it: its kind's name, except that a
    /// withdrawal of single lines of a consent names the lines ("Zeilen der Einwilligung widerrufen: jobcenter"), as the
    /// CLI's `audit log` shows its `clauses`; it read "Einwilligung widerrufen" like a withdrawal of the whole consent
    /// (found in a review of the pages), and only the entry's JSON told the two apart.
    static func kindName(of content: AuditContent) -> LocalizedText {
        if case let .consentWithdrawn(w) = content, let lines = w.clauses {
            let named = lines.joined(separator: ", ")
            return LocalizedText(de: "Zeilen der Einwilligung widerrufen: \(named)", en: "Lines of the consent withdrawn: \(named)")
        }
        return kindName(content.kind)
    }

    /// The name of an entry kind in words (the id stays in `data-kind` and the filter's values).
    static func kindName(_ kind: AuditEntryKind) -> LocalizedText {
        switch kind {
        case .decision: LocalizedText(de: "Entscheidung", en: "Decision")
        case .disclosure: LocalizedText(de: "Weitergabe", en: "Disclosure")
        case .consentGranted: LocalizedText(de: "Einwilligung erteilt", en: "Consent granted")
        case .consentWithdrawn: LocalizedText(de: "Einwilligung widerrufen", en: "Consent withdrawn")
        case .policyLoaded: LocalizedText(de: "Richtlinie geladen", en: "Policy loaded")
        case .exportRun: LocalizedText(de: "Exportlauf", en: "Export run")
        case .erasureNotice: LocalizedText(de: "Mitteilung zur Löschung", en: "Erasure notice")
        case .keyEvent: LocalizedText(de: "Schlüsselereignis", en: "Key event")
        case .accountEvent: LocalizedText(de: "Kontoereignis", en: "Account event")
        case .auditRead: LocalizedText(de: "Protokoll gelesen", en: "Log read")
        }
    }
}
