import Memory

/// A tool handled by the phase itself rather than the tool registry (planning's `submit_plan`).
struct PhaseTool: Sendable {
    /// What the model sees.
    var definition: ToolDefinition
    /// Handles one call: the text returned to the model, whether it is an error, and whether the loop ends.
    var handle: @Sendable (JSONValue) -> (text: String, isError: Bool, endsLoop: Bool)
}

/// How a conversation ended.
struct ConversationResult: Sendable {
    /// The text of the last assistant message.
    var finalText: String
    /// The whole conversation.
    var messages: [ModelMessage]
    /// Whether a phase tool ended the loop.
    var endedByPhaseTool: Bool
}

/// A conversation that cannot go on (repeated identical tool calls, or a permission denial with
/// `--fail-on-denial`).
struct AgentFailure: Error, Sendable, CustomStringConvertible {
    var code: String
    var message: String
    var reason: RunOutcome.Reason
    var description: String { message }
}
