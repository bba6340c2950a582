import Testing
@testable import PolicyEngine

