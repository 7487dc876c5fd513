import Foundation

/// Response bodies in the providers' real wire formats, written from their documentation.
enum WireFixtures {
    /// An SSE event with a type.
    static func event(_ type: String, _ data: String) -> String { "event: \(type)\ndata: \(data)\n\n" }

    /// An Anthropic stream: text, a ping, then a tool call whose input arrives in three fragments.
    static let anthropicToolUse =
        event(
            "message_start",
            #"{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":472,"cache_creation_input_tokens":1200,"cache_read_input_tokens":3000,"output_tokens":2}}}"#
        )
        + event(
            "content_block_start",
            #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#)
        + event("ping", #"{"type": "ping"}"#)
        + event(
            "content_block_delta",
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me "}}"#)
        + event(
            "content_block_delta",
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"look — ✓"}}"#)
        + event("content_block_stop", #"{"type":"content_block_stop","index":0}"#)
        + event(
            "content_block_start",
            #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x","name":"read_file","input":{}}}"#
        )
        + event(
            "content_block_delta",
            #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#)
        + event(
            "content_block_delta",
            #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"path\": \"Sou"}}"#
        )
        + event(
            "content_block_delta",
            #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"rces/main.swift\", \"lines\": 40}"}}"#
        )
        + event("content_block_stop", #"{"type":"content_block_stop","index":1}"#)
        + event(
            "message_delta",
            #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}"#
        )
        + event("message_stop", #"{"type":"message_stop"}"#)

    /// A short Anthropic text answer.
    static func anthropicText(_ text: String, model: String = "claude-sonnet-4-5-20250929") -> String {
        event(
            "message_start",
            #"{"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","content":[],"model":"\#(model)","usage":{"input_tokens":10,"output_tokens":1}}}"#
        )
            + event(
                "content_block_start",
                #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#)
            + event(
                "content_block_delta",
                #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\#(text)"}}"#)
            + event("content_block_stop", #"{"type":"content_block_stop","index":0}"#)
            + event(
                "message_delta",
                #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":5}}"#)
            + event("message_stop", #"{"type":"message_stop"}"#)
    }

    /// An Anthropic stream cut off before `message_stop`.
    static let anthropicTruncated = anthropicText("partial")
        .replacingOccurrences(of: event("message_stop", #"{"type":"message_stop"}"#), with: "")

    /// An Anthropic stream that fails mid-way with an overloaded error.
    static let anthropicOverloadedMidStream =
        event(
            "message_start",
            #"{"type":"message_start","message":{"id":"msg_03","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","usage":{"input_tokens":10,"output_tokens":1}}}"#
        )
        + event(
            "content_block_start",
            #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#)
        + event(
            "content_block_delta",
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}"#)
        + event("error", #"{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}"#)

    static func chunk(_ choices: String, usage: String? = nil) -> String {
        var json =
            #"{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_1","choices":\#(choices)"#
        if let usage { json += #","usage":\#(usage)"# }
        return "data: " + json + "}\n\n"
    }

    /// An OpenAI stream: a little text, two tool calls with fragmented arguments, usage, [DONE].
    static let openAIToolCalls =
        chunk(#"[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]"#)
        + chunk(#"[{"index":0,"delta":{"content":"Checking."},"logprobs":null,"finish_reason":null}]"#)
        + chunk(
            #"[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"read_file","arguments":""}}]},"logprobs":null,"finish_reason":null}]"#
        )
        + chunk(
            #"[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"pa"}}]},"finish_reason":null}]"#
        )
        + chunk(
            #"[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"th\": \"a.swift\"}"}}]},"finish_reason":null}]"#
        )
        + chunk(
            #"[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_def","type":"function","function":{"name":"list_dir","arguments":"{}"}}]},"finish_reason":null}]"#
        )
        + chunk(#"[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}]"#)
        + chunk(
            "[]",
            usage:
                #"{"prompt_tokens":1200,"completion_tokens":40,"total_tokens":1240,"prompt_tokens_details":{"cached_tokens":1024}}"#
        )
        + "data: [DONE]\n\n"

    /// A short OpenAI text answer.
    static func openAIText(_ text: String) -> String {
        chunk(#"[{"index":0,"delta":{"role":"assistant","content":"\#(text)"},"finish_reason":null}]"#)
            + chunk(#"[{"index":0,"delta":{},"finish_reason":"stop"}]"#)
            + chunk("[]", usage: #"{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}"#)
            + "data: [DONE]\n\n"
    }

    /// An OpenAI stream with a finish_reason but no [DONE].
    static let openAITruncated = openAIText("hi").replacingOccurrences(of: "data: [DONE]\n\n", with: "")
}
