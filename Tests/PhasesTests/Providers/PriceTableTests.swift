import Testing

@testable import Phases

@Suite struct PriceTableTests {
    @Test func cost_ofAKnownModel_countsAllFourKinds() throws {
        let usage = TokenUsage(
            inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 2_000_000, cacheWriteTokens: 400_000)
        let (usd, source) = PriceTable.standard.cost(for: usage, model: "claude-sonnet-4-5-20250929")
        // 3 + 1.5 + 0.6 + 1.5
        #expect(abs(try #require(usd) - 6.6) < 1e-9)
        #expect(source == "price_table")
    }

    @Test(arguments: [
        ("gpt-4o-mini-2024-07-18", 0.15), ("gpt-4o-2024-08-06", 2.50), ("openai/gpt-4.1-mini", 0.40), ("gpt-4.1", 2),
        ("anthropic/claude-haiku-4.5", 1), ("claude-opus-4-1-20250805", 15), ("claude-opus-4-5", 5), ("o3-mini", 1.10),
        ("o3", 2), ("o4-mini-2025-04-16", 1.10),
    ])
    func lookup_matchesTheLongestFamily(model: String, input: Double) throws {
        #expect(try #require(PriceTable.standard.price(for: model)).input == input)
    }

    @Test func cost_unknownModel_isNil_andLocal_isZero() {
        let usage = TokenUsage(inputTokens: 10, outputTokens: 10)
        let unknown = PriceTable.standard.cost(for: usage, model: "llama3.1:8b")
        #expect(unknown.usd == nil && unknown.source == "unknown_model")
        #expect(PriceTable.standard.price(for: "gpt-4o1") == nil)
        let local = PriceTable.standard.cost(for: usage, model: "gpt-4o", isLocal: true)
        #expect(local.usd == 0 && local.source == "local")
    }
}
