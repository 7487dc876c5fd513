/// USD per million tokens for one model.
public struct ModelPrice: Sendable, Equatable {
    /// Uncached input tokens.
    public var input: Double
    /// Output tokens.
    public var output: Double
    /// Input tokens read from the cache.
    public var cacheRead: Double
    /// Input tokens written to the cache.
    public var cacheWrite: Double

    /// Creates a price.
    public init(input: Double, output: Double, cacheRead: Double, cacheWrite: Double) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheWrite = cacheWrite
    }
}

/// Prices of well-known models, to put a `cost_usd` on each turn.
///
/// Lookup normalizes the name: a vendor prefix (`anthropic/`, `openai/`, as OpenRouter writes them) is
/// dropped, `.` counts as `-`, and the longest table name that the model name starts with (followed by
/// the end or `-`) wins, so dated snapshots (`claude-sonnet-4-5-20250929`, `gpt-4o-2024-08-06`) match their
/// family and `gpt-4o-mini` never matches `gpt-4o`.
public struct PriceTable: Sendable {
    /// Prices by normalized model name.
    public var prices: [String: ModelPrice]

    /// Creates a table.
    public init(prices: [String: ModelPrice]) {
        self.prices = Dictionary(uniqueKeysWithValues: prices.map { (Self.normalize($0.key), $0.value) })
    }

    /// The built-in table.
    ///
    /// Sources: anthropic.com/pricing and docs.anthropic.com "Pricing" (cache write = 5-minute write, 1.25×
    /// input; cache read = 0.1× input); openai.com/api/pricing (cached input; OpenAI charges no cache
    /// write, so the write price equals input). Checked 2025-11. Prices change: the table is a default, and a
    /// model not in it yields `cost_usd: null` with source `unknown_model`, never a guess.
    public static let standard = PriceTable(prices: [
        // Anthropic
        "claude-opus-4-5": ModelPrice(input: 5, output: 25, cacheRead: 0.50, cacheWrite: 6.25),
        "claude-opus-4-1": ModelPrice(input: 15, output: 75, cacheRead: 1.50, cacheWrite: 18.75),
        "claude-opus-4": ModelPrice(input: 15, output: 75, cacheRead: 1.50, cacheWrite: 18.75),
        "claude-sonnet-4-5": ModelPrice(input: 3, output: 15, cacheRead: 0.30, cacheWrite: 3.75),
        "claude-sonnet-4": ModelPrice(input: 3, output: 15, cacheRead: 0.30, cacheWrite: 3.75),
        "claude-3-7-sonnet": ModelPrice(input: 3, output: 15, cacheRead: 0.30, cacheWrite: 3.75),
        "claude-haiku-4-5": ModelPrice(input: 1, output: 5, cacheRead: 0.10, cacheWrite: 1.25),
        "claude-3-5-haiku": ModelPrice(input: 0.80, output: 4, cacheRead: 0.08, cacheWrite: 1),
        // OpenAI
        "gpt-4o": ModelPrice(input: 2.50, output: 10, cacheRead: 1.25, cacheWrite: 2.50),
        "gpt-4o-mini": ModelPrice(input: 0.15, output: 0.60, cacheRead: 0.075, cacheWrite: 0.15),
        "gpt-4.1": ModelPrice(input: 2, output: 8, cacheRead: 0.50, cacheWrite: 2),
        "gpt-4.1-mini": ModelPrice(input: 0.40, output: 1.60, cacheRead: 0.10, cacheWrite: 0.40),
        "gpt-4.1-nano": ModelPrice(input: 0.10, output: 0.40, cacheRead: 0.025, cacheWrite: 0.10),
        "o3": ModelPrice(input: 2, output: 8, cacheRead: 0.50, cacheWrite: 2),
        "o3-mini": ModelPrice(input: 1.10, output: 4.40, cacheRead: 0.55, cacheWrite: 1.10),
        "o4-mini": ModelPrice(input: 1.10, output: 4.40, cacheRead: 0.275, cacheWrite: 1.10),
    ])

    /// The price for `model`, if known.
    public func price(for model: String) -> ModelPrice? {
        let name = Self.normalize(model)
        var best: (key: String, price: ModelPrice)?
        for (key, price) in prices where name == key || name.hasPrefix(key + "-") {
            if key.count > (best?.key.count ?? -1) { best = (key, price) }
        }
        return best?.price
    }

    /// The cost of `usage` on `model`.
    /// - Parameter isLocal: the model runs on a local server (see ``ProviderEndpoint/isLocal(base:)``): cost 0.
    /// - Returns: USD (nil when the model is unknown) and the source: `price_table`, `local` or `unknown_model`.
    public func cost(for usage: TokenUsage, model: String, isLocal: Bool = false) -> (usd: Double?, source: String) {
        if isLocal { return (0, "local") }
        guard let price = price(for: model) else { return (nil, "unknown_model") }
        let usd =
            (Double(usage.inputTokens) * price.input + Double(usage.outputTokens) * price.output
                + Double(usage.cacheReadTokens) * price.cacheRead + Double(usage.cacheWriteTokens) * price.cacheWrite)
            / 1_000_000
        return (usd, "price_table")
    }

    static func normalize(_ model: String) -> String {
        let base = model.split(separator: "/").last.map(String.init) ?? model
        return String(base.lowercased().map { $0 == "." ? "-" : $0 })
    }
}
