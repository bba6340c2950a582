import AuditLog
import Diagnostics
import Foundation
import PolicyEngine

/// The norms the rules of a logged policy cite, by policy digest and rule id, for the Art. 15 report: a
/// `decision` entry records each permitted field's rule but not its citation, so a referral released by statute
/// is named with the citation of that rule in the policy the decision was made under (the archive keeps every
/// policy ever in force, `Gate.archivedPolicy(digest:)`). Each citation comes as `{de: canonical, en: English}` (the
/// English text where the bundle gives one, else the canonical text again), so that the report in English reads the
/// citations of `decision` and `disclosure` entries alike in English. Each archived bundle is unpacked once per instance.
public final class RuleCitations {
    private let database: AppDatabase
    private let current: CompiledPolicy?
    private var loaded: [String: [String: LocalizedText]] = [:]
    private var policies: [String: CompiledPolicy?] = [:]

    /// Citations from the archive in `database`; `current` (the policy in force, when there is one) is used as
    /// it is for its own digest.
    public init(database: AppDatabase, current: CompiledPolicy? = nil) {
        self.database = database; self.current = current
    }

    /// The citations (rule id → norm in German and English) of every policy the `decision` and `disclosure` entries
    /// among `entries` name, by digest, as `SubjectReport(citations:)` takes them. A policy the archive lacks (or a
    /// database without the archive table) has none. An archived policy that fails its checks is an error for a
    /// `decision` entry, which names no norm of its own; for policies only `disclosure` entries name it is passed over
    /// (no table: those entries keep the norm they carry, in its canonical text), so a damaged archive row does not
    /// stop a report that needs it only for an English wording (`audit verify` reports the row).
    public func table(for entries: [StoredEntry]) throws -> [String: [String: LocalizedText]] {
        var needed: [String: Bool] = [:]   // digest → named by a `decision` entry
        for e in entries {
            let decision: Bool
            switch e.entry.content {
            case .decision: decision = true
            case .disclosure: decision = false
            default: continue
            }
            guard let digest = e.entry.policyDigest else { continue }
            needed[digest] = (needed[digest] ?? false) || decision
        }
        var table: [String: [String: LocalizedText]] = [:]
        for (digest, decision) in needed {
            if decision { table[digest] = try rules(digest: digest) } else if let rules = try? rules(digest: digest) { table[digest] = rules }
        }
        return table
    }

    /// The version and names of every policy the `decision` and `disclosure` entries among `entries` name, by digest, as
    /// `SubjectReport(policies:)` takes them: each row of the report is named as the policy of its time named things. A
    /// policy the archive lacks, or whose archived row fails its checks, has none (its rows are named from today's policy;
    /// `audit verify` reports a damaged row).
    public func names(for entries: [StoredEntry]) -> [String: SubjectReport.PolicyNames] {
        var digests = Set<String>()
        for e in entries {
            switch e.entry.content {
            case .decision, .disclosure: if let digest = e.entry.policyDigest { digests.insert(digest) }
            default: continue
            }
        }
        var names: [String: SubjectReport.PolicyNames] = [:]
        for digest in digests {
            guard let policy = try? policy(digest: digest) else { continue }
            names[digest] = SubjectReport.PolicyNames(version: policy.bundle.version, labels: ReportLabels(policy: policy.bundle))
        }
        return names
    }

    /// The policy of `digest`: today's when it is that one, else the archived one (nil when the archive lacks it).
    private func policy(digest: String) throws -> CompiledPolicy? {
        if current?.digest == digest { return current }
        if let known = policies[digest] { return known }
        // Through the archive's checks, as `Gate.archivedPolicy`: a changed row is an integrity failure, never a report
        // with another policy's citations.
        let policy = try PolicyArchive.load(digest: digest, from: database)
        policies[digest] = .some(policy)
        return policy
    }

    private func rules(digest: String) throws -> [String: LocalizedText] {
        if let rules = loaded[digest] { return rules }
        let policy = try policy(digest: digest)
        let rules = Dictionary((policy?.bundle.rules ?? []).map { ($0.id, LocalizedText(de: $0.citation, en: $0.citation(in: .en))) },
                               uniquingKeysWith: { a, _ in a })
        loaded[digest] = rules
        return rules
    }
}
