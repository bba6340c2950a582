import Foundation
import Synchronization

/// The service's own Prometheus metrics (text exposition format 0.0.4), kept without a metrics
/// library: request counts by method, route and status, a latency histogram by route, and decision
/// counts by field outcome. One lock; an update is a few dictionary operations.
public final class MetricsRegistry: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    public static let buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    struct RequestKey: Hashable { let method: String; let route: String; let status: Int }
    struct Histogram { var counts: [UInt64]; var sum: Double = 0; var count: UInt64 = 0 }
    struct State {
        var requests: [RequestKey: UInt64] = [:]
        var latency: [String: Histogram] = [:]
        var decisions: UInt64 = 0
        var fieldOutcomes: [String: UInt64] = [:]
    }

    private let state = Mutex(State())

    /// An empty registry: every count starts at zero when the service starts.
    public init() {}

    /// Counts one finished request and its duration.
    public func recordRequest(method: String, route: String, status: Int, seconds: Double) {
        state.withLock { s in
            s.requests[RequestKey(method: method, route: route, status: status), default: 0] += 1
            var h = s.latency[route] ?? Histogram(counts: Array(repeating: 0, count: Self.buckets.count))
            if let i = Self.buckets.firstIndex(where: { seconds <= $0 }) { h.counts[i] += 1 }
            h.sum += seconds
            h.count += 1
            s.latency[route] = h
        }
    }

    /// Counts one decision and its field outcomes.
    public func recordDecision(permittedFields: Int, deniedFields: Int) {
        state.withLock { s in
            s.decisions += 1
            s.fieldOutcomes["permit", default: 0] += UInt64(permittedFields)
            s.fieldOutcomes["deny", default: 0] += UInt64(deniedFields)
        }
    }

    /// The number of requests counted for a route and status (for tests).
    public func requestCount(route: String, status: Int) -> UInt64 {
        state.withLock { s in s.requests.filter { $0.key.route == route && $0.key.status == status }.values.reduce(0, +) }
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String {
        let s = state.withLock { $0 }
        var out = "# HELP consentgate_http_requests_total HTTP requests by method, route and status.\n"
        out += "# TYPE consentgate_http_requests_total counter\n"
        for (k, v) in s.requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "consentgate_http_requests_total{method=\"\(label(k.method))\",route=\"\(label(k.route))\",status=\"\(k.status)\"} \(v)\n"
        }
        out += "# HELP consentgate_http_request_duration_seconds Time from request to response, by route.\n"
        out += "# TYPE consentgate_http_request_duration_seconds histogram\n"
        for (route, h) in s.latency.sorted(by: { $0.key < $1.key }) {
            var cumulative: UInt64 = 0
            for (i, bound) in Self.buckets.enumerated() {
                cumulative += h.counts[i]
                out += "consentgate_http_request_duration_seconds_bucket{route=\"\(label(route))\",le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "consentgate_http_request_duration_seconds_bucket{route=\"\(label(route))\",le=\"+Inf\"} \(h.count)\n"
            out += "consentgate_http_request_duration_seconds_sum{route=\"\(label(route))\"} \(h.sum)\n"
            out += "consentgate_http_request_duration_seconds_count{route=\"\(label(route))\"} \(h.count)\n"
        }
        out += "# HELP consentgate_decisions_total Decisions made.\n# TYPE consentgate_decisions_total counter\n"
        out += "consentgate_decisions_total \(s.decisions)\n"
        out += "# HELP consentgate_decision_fields_total Requested fields by outcome.\n# TYPE consentgate_decision_fields_total counter\n"
        for outcome in ["deny", "permit"] {
            out += "consentgate_decision_fields_total{outcome=\"\(outcome)\"} \(s.fieldOutcomes[outcome] ?? 0)\n"
        }
        return out
    }

    /// Escapes a label value (backslash, quote, newline) per the exposition format.
    private func label(_ v: String) -> String {
        v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
