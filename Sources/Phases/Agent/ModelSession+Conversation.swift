import Memory

extension ModelSession {
    /// Runs one conversation: model turns and tool calls until the model answers without calling a tool (or a
    /// phase tool ends it). Every turn, tool call, permission decision and file change is an event.
    func converse(
        phase: PhaseName, system: String, messages initial: [ModelMessage], phaseTools: [PhaseTool] = []
    ) async throws -> ConversationResult {
        var messages = initial
        let tools = registry.tools(for: phase)
        let definitions = tools.map(\.definition) + phaseTools.map(\.definition)
        let budget = ContextBudget(window: settings.contextWindow)
        var repeats = (key: "", count: 0)
        while true {
            if cancellation.isCancelled || Task.isCancelled { throw CancellationError() }
            try ledger.checkBeforeTurn(in: phase)
            let (fitted, trimmed) = try budget.fit(system: system, messages: messages, tools: definitions)
            let request = ModelRequest(
                model: settings.model, system: system, messages: fitted, tools: definitions,
                maxTokens: settings.maxOutputTokens)
            let response = try await turn(request, phase: phase, trimmed: trimmed)
            messages.append(ModelMessage(role: .assistant, content: response.content))
            var texts: [String] = []
            var calls: [(id: String, name: String, input: JSONValue)] = []
            for block in response.content {
                switch block {
                case .text(let text) where !text.isEmpty: texts.append(text)
                case .toolUse(let id, let name, let input): calls.append((id, name, input))
                default: break
                }
            }
            if !texts.isEmpty {
                emitter.emit(
                    .itemCompleted, phase: phase,
                    ["item": ["id": .string(nextItemID("msg")), "kind": "message", "role": "assistant",
                              "text": .string(texts.joined(separator: "\n")), "final": false]])
            }
            if calls.isEmpty {
                return ConversationResult(finalText: texts.joined(separator: "\n"), messages: messages, endedByPhaseTool: false)
            }
            var results: [ContentBlock] = []
            var ended = false
            for call in calls {
                let key = call.name + "\u{0}" + call.input.serialized()
                repeats = repeats.key == key ? (key, repeats.count + 1) : (key, 1)
                if repeats.count >= 5 {
                    throw AgentFailure(
                        code: "repeated_tool_call",
                        message: "the model called \(call.name) with identical input \(repeats.count) times in a row; stopped the loop",
                        reason: .taskFailed)
                }
                if repeats.count >= 3 {
                    results.append(.toolResult(
                        toolUseID: call.id,
                        content: "You called \(call.name) with exactly this input \(repeats.count) times in a row; "
                            + "the result will not change. Use what you already have, or try something different.",
                        isError: true))
                    continue
                }
                if let phaseTool = phaseTools.first(where: { $0.definition.name == call.name }) {
                    let outcome = phaseTool.handle(call.input)
                    results.append(.toolResult(toolUseID: call.id, content: outcome.text, isError: outcome.isError))
                    ended = ended || outcome.endsLoop
                    continue
                }
                results.append(try await callTool(id: call.id, name: call.name, input: call.input, phase: phase))
            }
            messages.append(ModelMessage(role: .user, content: results))
            if ended {
                return ConversationResult(finalText: texts.joined(separator: "\n"), messages: messages, endedByPhaseTool: true)
            }
        }
    }

    /// One model request with its `turn.started` / `turn.completed` events, heartbeats and optional deltas.
    private func turn(_ request: ModelRequest, phase: PhaseName, trimmed: Int) async throws -> ModelResponse {
        let number = nextTurn()
        let estimate = ContextBudget.estimate(system: request.system, messages: request.messages, tools: request.tools)
        emitter.emit(
            .turnStarted, phase: phase,
            [
                "turn": .int(Int64(number)), "phase_turn": .int(Int64(ledger.turns(in: phase) + 1)),
                "provider": .string(settings.providerName), "model": .string(settings.model),
                "context_tokens": .int(Int64(estimate)), "context_window": .int(Int64(settings.contextWindow)),
                "trimmed_blocks": .int(Int64(trimmed)),
            ])
        let started = Timestamp.monotonicNanos()
        let emitter = emitter
        let streams = settings.streamsDeltas
        let messageID = "turn-\(number)"
        let response = try await withHeartbeat(waitingFor: "model", phase: phase) {
            try await self.provider.complete(request) { event in
                guard streams, case .textDelta(_, let text) = event else { return }
                emitter.emit(.itemDelta, phase: phase, ["item_id": .string(messageID), "text": .string(text)])
            }
        }
        let model = response.model.isEmpty ? settings.model : response.model
        let cost = PriceTable.standard.cost(for: response.usage, model: model, isLocal: settings.isLocal)
        var limit: LimitReached?
        do { try ledger.record(response.usage, cost: cost, in: phase) } catch { limit = error }
        emitter.emit(
            .turnCompleted, phase: phase,
            [
                "turn": .int(Int64(number)), "model": .string(model), "stop_reason": .string(response.stopReason.rawValue),
                "usage": [
                    "input_tokens": .int(Int64(response.usage.inputTokens)),
                    "output_tokens": .int(Int64(response.usage.outputTokens)),
                    "cache_read_tokens": .int(Int64(response.usage.cacheReadTokens)),
                    "cache_write_tokens": .int(Int64(response.usage.cacheWriteTokens)),
                ],
                "totals": .object(ledger.totals), "cost_usd": .from(cost.usd.map { ($0 * 1_000_000).rounded() / 1_000_000 }),
                "cost_source": .string(cost.source),
                "context_fill": .double((Double(estimate) / Double(settings.contextWindow) * 1000).rounded() / 1000),
                "duration_ms": .int(Int64((Timestamp.monotonicNanos() - started) / 1_000_000)),
            ])
        if let limit { throw limit }
        return response
    }

    /// Runs `body` while emitting a `heartbeat` every ``ModelSettings/heartbeatInterval`` seconds.
    func withHeartbeat<T: Sendable>(
        waitingFor what: String, phase: PhaseName, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let interval = settings.heartbeatInterval
        let emitter = emitter
        let ticker = Task {
            let started = Timestamp.monotonicNanos()
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                emitter.emit(
                    .heartbeat, phase: phase,
                    ["waiting_for": .string(what), "elapsed_ms": .int(Int64((Timestamp.monotonicNanos() - started) / 1_000_000))])
            }
        }
        defer { ticker.cancel() }
        return try await body()
    }
}
