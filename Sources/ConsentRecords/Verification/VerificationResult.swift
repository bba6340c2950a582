import Foundation

/// The outcome of verifying a signed consent or withdrawal: the verified document, or every reason it
/// fails (never a bare bool).
public enum VerificationResult<Content: SignedPayload>: Sendable, Equatable {
    /// Signature, trust, type, form and content all hold.
    case valid(SignedDocument<Content>)
    /// At least one check failed. `failures` is never empty; integrity failures (signature, trust, type)
    /// come first, then content failures in payload order. `document` is the parsed document when its
    /// envelope and payload could be read at all, so a caller can still show what it claims.
    case invalid(failures: [ConsentError], document: SignedDocument<Content>?)

    /// The verified document, or the first (most severe) failure thrown.
    public func get() throws(ConsentError) -> SignedDocument<Content> {
        switch self {
        case .valid(let doc): return doc
        case .invalid(let failures, _): throw failures[0]
        }
    }

    /// The failures (empty when valid).
    public var failures: [ConsentError] {
        if case .invalid(let f, _) = self { return f }
        return []
    }

    /// The parsed document, verified or not.
    public var document: SignedDocument<Content>? {
        switch self {
        case .valid(let doc): return doc
        case .invalid(_, let doc): return doc
        }
    }

    /// Adds failures found by a later check (keeps the most severe first).
    func adding(_ more: [ConsentError]) -> VerificationResult {
        guard !more.isEmpty else { return self }
        let all = (failures + more).enumerated().sorted { a, b in
            let ra = a.element.category == .integrity ? 0 : 1, rb = b.element.category == .integrity ? 0 : 1
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        return .invalid(failures: all, document: document)
    }
}
