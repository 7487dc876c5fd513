import Testing

@testable import Serve

@Suite struct ServeModuleTests {
    @Test func protocolVersion_isOne() { #expect(Serve.protocolVersion == 1) }
}
