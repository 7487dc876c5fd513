import Testing

@testable import Phases

@Suite struct TaskQueryTests {
    static let task = """
        # Reject oversized frames in WebSocketFrameDecoder

        The decoder should throw when `maxFrameSize` is exceeded; see Frame.payload.

        ```swift
        let d = WebSocketFrameDecoder(maxFrameSize: 4)
        ```
        Sources/Net/FrameDecoder.swift:12: error: value of type 'Frame' has no member
        """

    @Test func title_isFirstLineWithoutHeadingMarks() {
        #expect(TaskQuery(Self.task).title == "Reject oversized frames in WebSocketFrameDecoder")
    }

    @Test func codeBlocks_inlineCode_andTraceLines_areSeparated() {
        let q = TaskQuery(Self.task)
        #expect(q.codeBlocks == ["let d = WebSocketFrameDecoder(maxFrameSize: 4)"])
        #expect(q.inlineCode == ["maxFrameSize"])
        #expect(q.traceLines.count == 1)
        #expect(q.prose.count == 1)
        #expect(!q.prose[0].contains("maxFrameSize"))
    }

    @Test func codeLikeIdentifiers_becomeNamedSymbols() {
        let q = TaskQuery(Self.task)
        #expect(q.namedSymbols.contains("WebSocketFrameDecoder"))
        #expect(q.namedSymbols.contains("maxFrameSize"))
        #expect(q.namedSymbols.contains("payload"))  // Type.member in prose
        #expect(q.mentionedFiles.contains("Sources/Net/FrameDecoder.swift"))
    }

    @Test func titleCaseLines_doNotYieldCapitalizedWords() {
        #expect(TaskQuery("Fix Response Compression When Header Is Empty").capitalizedWords.isEmpty)
        #expect(TaskQuery("x\nthe Parser fails on keys").capitalizedWords == ["Parser"])
    }

    @Test func queryTerms_weightCodeLikeIdentifiersHigher() {
        let terms = QueryTerms(TaskQuery("make WebSocketFrameDecoder stricter"))
        let whole = terms.terms.first { $0.text == "websocketframedecoder" }
        let part = terms.terms.first { $0.text == "decoder" }
        #expect((whole?.weight ?? 0) > (part?.weight ?? 0))
        #expect(terms.terms.allSatisfy { $0.inTitle })
    }
}
