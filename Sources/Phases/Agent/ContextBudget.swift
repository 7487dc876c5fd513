import Memory

/// Keeps a conversation under the model's context window: old tool output is replaced by a short stub
/// (the full text stays in the run's directory), so an overflow never reaches the provider as a 400.
///
/// Token counts are estimated at 4 characters per token plus a fixed cost per block, which errs high for
/// code and English, the common case.
public struct ContextBudget: Sendable, Equatable {
    /// The model's window in tokens.
    public var window: Int
    /// Trimming starts above this fraction of the window.
    public var trimAbove = 0.6
    /// Trimming continues until the estimate is below this fraction.
    public var trimTo = 0.45
    /// The newest messages never trimmed.
    public var keepRecent = 4

    /// A budget for a window of `window` tokens.
    public init(window: Int) { self.window = window }

    /// A window for well-known model names; 128k otherwise (`--context-window` overrides).
    public static func defaultWindow(for model: String) -> Int {
        let name = model.lowercased()
        if name.contains("claude") { return 200_000 }
        if name.contains("gpt-4.1") { return 1_000_000 }
        if name.hasPrefix("o3") || name.hasPrefix("o4") { return 200_000 }
        return 128_000
    }

    /// Estimated tokens of a request.
    public static func estimate(system: String, messages: [ModelMessage], tools: [ToolDefinition]) -> Int {
        var characters = system.utf8.count
        for tool in tools { characters += tool.description.utf8.count + tool.inputSchema.serialized().utf8.count + 40 }
        for message in messages {
            for block in message.content { characters += size(of: block) + 16 }
        }
        return characters / 4 + 8 * messages.count
    }

    private static func size(of block: ContentBlock) -> Int {
        switch block {
        case .text(let text): text.utf8.count
        case .toolUse(_, let name, let input): name.utf8.count + input.serialized().utf8.count
        case .toolResult(_, let content, _): content.utf8.count
        }
    }

    /// `messages` trimmed to fit; returns them and how many blocks were trimmed.
    /// - Throws: ``ContextOverflow`` when even the trimmed conversation does not fit.
    public func fit(system: String, messages: [ModelMessage], tools: [ToolDefinition]) throws(ContextOverflow)
        -> (messages: [ModelMessage], trimmed: Int)
    {
        var messages = messages
        var estimate = Self.estimate(system: system, messages: messages, tools: tools)
        guard Double(estimate) > Double(window) * trimAbove else { return (messages, 0) }
        var trimmed = 0
        let target = Int(Double(window) * trimTo)
        // Oldest first: tool results, then long texts; the newest `keepRecent` messages stay intact.
        for pass in 0..<2 {
            for index in messages.indices.dropLast(keepRecent) where estimate > target {
                for blockIndex in messages[index].content.indices where estimate > target {
                    let block = messages[index].content[blockIndex]
                    let replacement: ContentBlock?
                    switch (pass, block) {
                    case (0, .toolResult(let id, let content, let isError)) where content.utf8.count > 400:
                        replacement = .toolResult(
                            toolUseID: id,
                            content: "[output trimmed to save context: \(content.utf8.count) characters; call the tool again if you need it]",
                            isError: isError)
                    case (1, .text(let text)) where text.utf8.count > 2000:
                        replacement = .text(String(text.prefix(1500)) + "\n[… trimmed to save context]")
                    default:
                        replacement = nil
                    }
                    if let replacement {
                        estimate -= (Self.size(of: block) - Self.size(of: replacement)) / 4
                        messages[index].content[blockIndex] = replacement
                        trimmed += 1
                    }
                }
            }
        }
        if estimate > window - 4096 {
            throw ContextOverflow(
                estimate: estimate, window: window,
                message: "the conversation needs about \(estimate) tokens even after trimming, more than the \(window)-token window")
        }
        return (messages, trimmed)
    }
}

/// The context cannot be made to fit the window.
public struct ContextOverflow: Error, Sendable, Equatable, CustomStringConvertible {
    public var estimate: Int
    public var window: Int
    public var message: String
    public var description: String { message }
}
