import Diagnostics
import Foundation
import PolicyEngine

/// Policy engine benchmark: load time, and decisions per second / median latency of a 30-field request with two
/// consents, on the shipped bundle and on a generated 1,000-rule / 500-field policy.
/// `--bundle DIR` (default policies/kim-rhein-sieg); `--workload FILE` also writes a decision workload with our
/// answers and throughput for the Cedar comparison (`Benchmarks/policy/cedar_compare.py`);
/// `--profile-decide N` only runs `decide` N times on the shipped bundle (for `valgrind --tool=callgrind`).
/// Times are the thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), so that time the shared machine gives to other
/// processes does not count; medians over batches.
enum PolicyBenchmark {
    static func run(arguments: [String]) async throws {
        var bundlePath = "policies/kim-rhein-sieg"
        var workloadPath: String?
        var profileDecisions: Int?
        var i = 0
        while i < arguments.count {
            if arguments[i] == "--bundle", i + 1 < arguments.count { bundlePath = arguments[i + 1]; i += 1 }
            else if arguments[i] == "--workload", i + 1 < arguments.count { workloadPath = arguments[i + 1]; i += 1 }
            else if arguments[i] == "--profile-decide", i + 1 < arguments.count { profileDecisions = Int(arguments[i + 1]); i += 1 }
            i += 1
        }
        let url = URL(fileURLWithPath: bundlePath)
        if let profileDecisions {
            try profile(CompiledPolicy.load(directory: url), decisions: profileDecisions)
            return
        }
        let loadTimes = (0..<20).map { _ in time { _ = try! CompiledPolicy.load(directory: url) } }
        let shipped = try CompiledPolicy.load(directory: url)
        print("policy: shipped bundle \(shipped.bundle.id) (\(shipped.bundle.rules.count) rules, \(shipped.bundle.fields.count) fields)")
        print(String(format: "  load+validate+compile: median %.2f ms", median(loadTimes) * 1e3))
        let (request, consents) = shippedRequest(shipped)
        measure("shipped", shipped, request, consents)
        let subject = request.attributes, at = request.at

        var rng = SplitMix(state: 42)
        let generated = GeneratedPolicy.make(rules: 1_000, fields: 500, rng: &rng)
        let compileTimes = (0..<5).map { _ in time { _ = CompiledPolicy(generated) } }
        let big = CompiledPolicy(generated)
        print("policy: generated bundle (\(generated.rules.count) rules, \(generated.fields.count) fields, \(generated.partners.count) partners, \(generated.purposes.count) purposes)")
        print(String(format: "  compile (model already built): median %.2f ms", median(compileTimes) * 1e3))
        // 30 fields that rules for (p0, u0) cover, so that the request meets real permits, forbids and consents.
        let covered = Array(Set(generated.rules.filter { ($0.partners ?? []).contains("p0") && ($0.purposes ?? []).contains("u0") }.flatMap(\.fields))).sorted()
        let gFields = (0..<30).map { k in k < covered.count ? covered[k] : generated.fields[rng.int(generated.fields.count)].id }
        let gConsents = (0..<2).map { k in
            ConsentFact(id: "g-\(k)", templateID: "gen", templateVersion: 1, clauses: (0..<6).map { _ in "k\(rng.int(40))" },
                        grantedAt: at.addingTimeInterval(-86_400 * 10), expiresAt: at.addingTimeInterval(86_400 * 100))
        }
        measure("generated", big, DecisionRequest(subject: "S", attributes: subject, partner: "p0", purpose: "u0", fields: gFields, at: at), gConsents)

        if let workloadPath { try CedarWorkload.write(shipped, at: at, to: workloadPath) }
    }

    /// The 30-field request with two consents on the shipped bundle.
    static func shippedRequest(_ shipped: CompiledPolicy) -> (DecisionRequest, [ConsentFact]) {
        let at = Date(timeIntervalSince1970: 1_795_600_000) // 2026-11-25
        let consents = [
            ConsentFact(id: "c-1", templateID: "kim-beratung", templateVersion: 3, clauses: ["jobcenter", "sprachkurs"],
                        grantedAt: at.addingTimeInterval(-86_400 * 100), expiresAt: at.addingTimeInterval(86_400 * 300)),
            ConsentFact(id: "c-2", templateID: "kim-beratung", templateVersion: 3, clauses: ["jobcenter-gesundheit"],
                        grantedAt: at.addingTimeInterval(-86_400 * 50), expiresAt: at.addingTimeInterval(86_400 * 300)),
        ]
        let subject = SubjectAttributes(birthDate: Date(timeIntervalSince1970: 480_000_000), municipality: "Siegburg")
        let fields30 = Array(shipped.bundle.fields.map(\.id).prefix(30))
        return (DecisionRequest(subject: "RSK-2022-000017", attributes: subject, partner: "jobcenter", purpose: "job-placement",
                                fields: fields30, at: at), consents)
    }

    /// Runs only `decide`, `decisions` times, for an instruction profile.
    static func profile(_ policy: CompiledPolicy, decisions: Int) {
        let (request, consents) = shippedRequest(policy)
        var sink = 0
        for _ in 0..<decisions { sink &+= policy.decide(request, consents: consents).fields.count }
        print("policy: \(decisions) decisions, \(sink) field decisions")
    }

    static func measure(_ name: String, _ policy: CompiledPolicy, _ request: DecisionRequest, _ consents: [ConsentFact]) {
        let n = 2_000
        var sink = 0
        var full: [Double] = [], core: [Double] = []
        let prepared = policy.prepare(partner: request.partner, purpose: request.purpose, fields: request.fields)
        var out = [FieldOutcome](repeating: FieldOutcome(), count: request.fields.count)
        for _ in 0..<60 {
            full.append(time { for _ in 0..<n { sink &+= policy.decide(request, consents: consents).fields.count } } / Double(n))
            core.append(time {
                for _ in 0..<n {
                    policy.evaluate(prepared, subject: request.attributes, consents: consents, at: request.at, into: &out)
                    sink &+= out[0].permitted ? 1 : 0
                }
            } / Double(n))
        }
        var prep: [Double] = [], explain: [Double] = []
        for _ in 0..<30 {
            prep.append(time { for _ in 0..<n { sink &+= policy.prepare(partner: request.partner, purpose: request.purpose, fields: request.fields).fields.count } } / Double(n))
            explain.append(time { for _ in 0..<n { sink &+= policy.decision(for: request, outcomes: out, consents: consents).fields.count } } / Double(n))
        }
        let d = policy.decide(request, consents: consents)
        print(String(format: "    (of which: prepare %.3f µs, building the explained Decision %.3f µs)", median(prep) * 1e6, median(explain) * 1e6))
        print("  \(name): 30-field request, 2 consents → \(d.released.count) released")
        print(String(format: "    decide (explained Decision): median %.3f µs, %.0f decisions/s, %.1f M field-decisions/s",
                     median(full) * 1e6, 1 / median(full), 30 / median(full) / 1e6))
        print(String(format: "    evaluate (prepared, into buffer): median %.3f µs, %.0f decisions/s, %.1f M field-decisions/s",
                     median(core) * 1e6, 1 / median(core), 30 / median(core) / 1e6))
        if sink == 42 { print("") }
    }

    /// The thread CPU time `body` takes, in seconds.
    static func time(_ body: () -> Void) -> Double {
        let start = cpuNow()
        body()
        return cpuNow() - start
    }

    /// The wall-clock time `body` takes, in seconds.
    static func wallTime(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func cpuNow() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }
}

/// SplitMix64, for reproducible generated policies.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A large synthetic policy: 50 categories (5 special), 20 partners, 10 purposes, a template with 40 clauses.
enum GeneratedPolicy {
    static func make(rules ruleCount: Int, fields fieldCount: Int, rng: inout SplitMix) -> PolicyBundle {
        func t(_ s: String) -> LocalizedText { LocalizedText(de: s, en: s) }
        let cats = (0..<50).map { DataCategory(id: "c\($0)", label: t("c\($0)"), special: $0 % 10 == 9) }
        let fields = (0..<fieldCount).map { FieldDefinition(id: "g\($0)", category: "c\($0 % 50)", type: .string, label: t("g\($0)")) }
        let partners = (0..<20).map { Partner(id: "p\($0)", name: t("p\($0)"), folder: "p\($0)") }
        let purposes = (0..<10).map { Purpose(id: "u\($0)", label: t("u\($0)")) }
        var rules: [Rule] = []
        for r in 0..<ruleCount {
            let forbid = rng.int(5) == 0
            let when: Condition = rng.int(5) == 0 ? .test(attribute: "age", op: rng.int(2) == 0 ? .lt : .ge, values: [.int(rng.int(60))]) : .always
            rules.append(Rule(id: "r\(r)", effect: forbid ? .forbid : .permit,
                              partners: (0..<(1 + rng.int(2))).map { _ in "p\(rng.int(20))" },
                              purposes: (0..<(1 + rng.int(2))).map { _ in "u\(rng.int(10))" },
                              fields: (0..<(5 + rng.int(25))).map { _ in "g\(rng.int(fieldCount))" },
                              categories: rng.int(10) == 0 ? ["c\(rng.int(50))"] : [], when: when,
                              basis: rng.int(2) == 0 ? .statute : .consent, citation: "§ \(r)", unlessExplicitConsent: forbid && rng.int(2) == 0))
        }
        let clauses = (0..<40).map { k in
            ConsentTemplate.Clause(id: "k\(k)", partners: (0..<3).map { _ in "p\(rng.int(20))" }, purposes: (0..<3).map { _ in "u\(rng.int(10))" },
                                   categories: (0..<8).map { _ in "c\(rng.int(50))" }, explicit: rng.int(3) == 0)
        }
        return PolicyBundle(id: "generated", version: "1", title: t("generated"), categories: cats, fields: fields,
                            attributes: [SubjectAttributeDefinition(id: "age", type: .int, subject: .birthDate)],
                            partners: partners, purposes: purposes, rules: rules,
                            templates: [ConsentTemplate(id: "gen", version: 1, texts: ["de": "x"], minimumAge: 16,
                                                        maxValidity: ISODuration(years: 2), clauses: clauses)])
    }
}

/// Writes a decision workload on the shipped policy for the Cedar comparison: the policy model (rules with their
/// fields expanded), 2,000 random requests of 30 fields with 0–2 random consents, our per-field answers, and our
/// field-decisions per second on exactly this workload (`decide`, with full explanations).
enum CedarWorkload {
    static func write(_ policy: CompiledPolicy, at: Date, to path: String) throws {
        let b = policy.bundle
        var rng = SplitMix(state: 7)
        func cond(_ c: Condition) -> OrderedJSON {
            switch c {
            case .always: return .null
            case .all(let l): return .object([("all", .array(l.map(cond)))])
            case .any(let l): return .object([("any", .array(l.map(cond)))])
            case .test(let a, let op, let vs):
                return .object([("attr", .string(a)), ("op", .string(op.rawValue)), ("values", .array(vs.map(value)))])
            }
        }
        func value(_ v: AttributeValue) -> OrderedJSON {
            switch v {
            case .int(let i): .int(i)
            case .bool(let x): .bool(x)
            case .string(let s): .string(s)
            case .day(let d): .int(d)
            }
        }
        func expand(_ r: Rule) -> [String] {
            b.fields.filter { f in
                r.fields.contains { Glob.matches($0, f.id) } || r.categories.contains { Glob.matches($0, f.category) }
            }.map(\.id)
        }
        func strings(_ l: [String]?) -> OrderedJSON { l.map { .array($0.map { .string($0) }) } ?? .null }
        let model: OrderedJSON = .object([
            ("fields", .array(b.fields.map { f in .object([("id", .string(f.id)), ("category", .string(f.category)),
                                                           ("special", .bool(b.category(f.category)?.special ?? false))]) })),
            ("attributes", .array(b.attributes.map { a in .object([("id", .string(a.id)), ("type", .string(a.type.rawValue)),
                ("subject", a.subject.map { .string($0.rawValue) } ?? .null), ("from", a.from.map { .string($0) } ?? .null)]) })),
            ("rules", .array(b.rules.map { r in .object([("id", .string(r.id)), ("effect", .string(r.effect.rawValue)),
                ("partners", strings(r.partners)), ("purposes", strings(r.purposes)), ("fields", strings(expand(r))),
                ("when", cond(r.when)), ("basis", .string(r.basis.rawValue)), ("unless", .bool(r.unlessExplicitConsent))]) })),
            ("templates", .array(b.templates.map { t in .object([("id", .string(t.id)), ("version", .int(t.version)),
                ("minimum_age", .int(t.minimumAge)), ("max_validity", .array([.int(t.maxValidity.years), .int(t.maxValidity.months), .int(t.maxValidity.days)])),
                ("clauses", .array(t.clauses.map { c in .object([("id", .string(c.id)), ("partners", strings(c.partners)),
                    ("purposes", strings(c.purposes)), ("categories", strings(c.categories)), ("explicit", .bool(c.explicit))]) }))]) })),
        ])
        let fieldIDs = b.fields.map(\.id)
        let clauseIDs = b.template("kim-beratung")!.clauses.map(\.id)
        var requests: [(DecisionRequest, [ConsentFact])] = []
        let day = 86_400.0
        for n in 0..<2_000 {
            let age = rng.int(70)
            var subject = SubjectAttributes(birthDate: at.addingTimeInterval(-Double(age * 365 + rng.int(365)) * day),
                                            municipality: ["Siegburg", "Troisdorf", "Much"][rng.int(3)],
                                            unaccompaniedMinor: rng.int(6) == 0, guardianCount: rng.int(3))
            if rng.int(3) == 0 { subject.values["household-school-age-child"] = .bool(rng.int(2) == 0) }
            if rng.int(4) == 0 { subject.values["child-endangerment"] = .bool(rng.int(2) == 0) }
            // A partner and purpose some rule names (so most requests meet real rules), now and then a random pair.
            let rule = b.rules[rng.int(b.rules.count)]
            let partner = rng.int(5) == 0 || rule.partners == nil ? b.partners[rng.int(b.partners.count)].id : rule.partners![rng.int(rule.partners!.count)]
            let purpose = rng.int(5) == 0 || rule.purposes == nil ? b.purposes[rng.int(b.purposes.count)].id : rule.purposes![rng.int(rule.purposes!.count)]
            let fields = (0..<30).map { _ in fieldIDs[rng.int(fieldIDs.count)] }
            let consents = (0..<rng.int(3)).map { k -> ConsentFact in
                let granted = at.addingTimeInterval(-Double(rng.int(800)) * day + Double(rng.int(3) == 0 ? 40 : 0) * day)
                return ConsentFact(id: "c\(n)-\(k)", templateID: rng.int(8) == 0 ? "kim-erklaerung-2022" : "kim-beratung",
                                   templateVersion: rng.int(10) == 0 ? 2 : 3, clauses: (0..<(1 + rng.int(4))).map { _ in clauseIDs[rng.int(clauseIDs.count)] },
                                   grantedAt: granted, expiresAt: granted.addingTimeInterval(Double(200 + rng.int(600)) * day),
                                   withdrawnAt: rng.int(5) == 0 ? granted.addingTimeInterval(Double(rng.int(400)) * day) : nil,
                                   guardianPresent: rng.int(2) == 0, verification: rng.int(10) == 0 ? .invalid(reason: "bad signature") : .verified)
            }
            requests.append((DecisionRequest(subject: "S\(n)", attributes: subject, partner: partner, purpose: purpose, fields: fields, at: at), consents))
        }
        // Template versions 1 of kim-erklaerung-2022: fix the version of those consents so they resolve.
        requests = requests.map { (r, cs) in (r, cs.map { c in var c = c; if c.templateID == "kim-erklaerung-2022" { c.templateVersion = 1 }; return c }) }
        var sink = 0
        var rounds: [Double] = []
        for _ in 0..<15 {
            // Wall time, like the Python side's timing of Cedar, so that the ratio compares like with like.
            rounds.append(PolicyBenchmark.wallTime { for (r, c) in requests { sink &+= policy.decide(r, consents: c).released.count } })
        }
        let fieldDecisions = Double(requests.count * 30)
        let perSecond = fieldDecisions / PolicyBenchmark.median(rounds)
        var items: [OrderedJSON] = []
        for (r, cs) in requests {
            let d = policy.decide(r, consents: cs)
            var values: [(String, OrderedJSON)] = []
            for (k, v) in r.attributes.values { values.append((k, value(v))) }
            items.append(.object([
                ("partner", .string(r.partner)), ("purpose", .string(r.purpose)), ("fields", .array(r.fields.map { .string($0) })),
                ("at", .int(Int(r.at.timeIntervalSince1970))),
                ("subject", .object([("birth_day", .int(UTCDay.day(of: r.attributes.birthDate!))), ("municipality", .string(r.attributes.municipality!)),
                                     ("unaccompanied_minor", .bool(r.attributes.unaccompaniedMinor!)), ("guardians", .int(r.attributes.guardianCount!)),
                                     ("values", .object(values.sorted { $0.0 < $1.0 }))])),
                ("consents", .array(cs.map { c in .object([("id", .string(c.id)), ("template", .string(c.templateID)), ("version", .int(c.templateVersion)),
                    ("clauses", .array(c.clauses.map { .string($0) })), ("granted", .int(Int(c.grantedAt.timeIntervalSince1970))),
                    ("expires", .int(Int(c.expiresAt.timeIntervalSince1970))), ("withdrawn", c.withdrawnAt.map { .int(Int($0.timeIntervalSince1970)) } ?? .null),
                    ("guardian", .bool(c.guardianPresent)), ("verified", .bool(c.verification == .verified))]) })),
                ("ours", .array(d.fields.map { .bool($0.outcome == .permit) })),
                ("reasons", .array(d.fields.map { .string($0.reason?.rawValue ?? "permit") })),
            ]))
        }
        let doc: OrderedJSON = .object([("model", model), ("requests", .array(items)),
                                      ("swift_field_decisions_per_s", .int(Int(perSecond))), ("sink", .int(sink % 2))])
        try Data(doc.serialized.utf8).write(to: URL(fileURLWithPath: path))
        print(String(format: "policy: workload of %d requests × 30 fields written to %@; ConsentGate decide: %.1f M field-decisions/s", requests.count, path, perSecond / 1e6))
    }
}
