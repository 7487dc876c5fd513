import Testing

@testable import Phases

/// ``LineSplitter/splitKeepingWholeCode(_:codeInto:commentInto:)`` must agree with
/// ``LineSplitter/split(_:codeInto:commentInto:)``: it only skips copying a line that is all code.
@Suite struct LineSplitterTests {
    static let pieces: [String] = [
        "let x = 1", "  ", "\t", "foo(bar)", "{", "}", "\"", "'", "`", "\\", "//", "/*", "*/", "#", "a/b", "s\"{\"",
        "café", "_", "x", "/", "*",
    ]

    @Test func keepingWholeCode_agreesWithSplit() {
        var state: UInt64 = 3
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let languages: [SourceLanguage] = [.swift, .python, .javascript, .c, .ruby, .go, .other]
        for language in languages {
            var plain = LineSplitter(style: language.commentStyle, language: language)
            var keeping = LineSplitter(style: language.commentStyle, language: language)
            var wholeLines = 0
            for _ in 0..<4000 {
                var text = ""
                for _ in 0..<next(8) { text += Self.pieces[next(Self.pieces.count)] }
                let line = Array(text.utf8)
                let n = max(line.count, 1)
                let code1 = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
                let comment1 = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
                let code2 = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
                let comment2 = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
                defer {
                    code1.deallocate()
                    comment1.deallocate()
                    code2.deallocate()
                    comment2.deallocate()
                }
                line.withUnsafeBufferPointer { buf in
                    let (c1, m1) = plain.split(buf, codeInto: code1, commentInto: comment1)
                    let (c2, m2, whole) = keeping.splitKeepingWholeCode(buf, codeInto: code2, commentInto: comment2)
                    #expect(c1 == c2 && m1 == m2, "\(language) \(text)")
                    let expectedCode = Array(UnsafeBufferPointer(start: code1, count: c1))
                    if whole {
                        wholeLines += 1
                        #expect(expectedCode == line && m1 == 0, "\(language) \(text)")
                    } else {
                        #expect(Array(UnsafeBufferPointer(start: code2, count: c2)) == expectedCode, "\(language) \(text)")
                        #expect(
                            Array(UnsafeBufferPointer(start: comment2, count: m2))
                                == Array(UnsafeBufferPointer(start: comment1, count: m1)), "\(language) \(text)")
                    }
                }
            }
            #expect(wholeLines > 100, "\(language)")
        }
    }
}
