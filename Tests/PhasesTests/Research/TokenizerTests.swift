import Testing

@testable import Phases

@Suite struct TokenizerTests {
    @Test func camelCase_splitsIntoPartsAndKeepsWhole() {
        let tokens = Tokenizer.tokens("flatMapResult")
        #expect(tokens.first == "flatmapresult")
        #expect(tokens.contains("flat"))
        #expect(tokens.contains("map"))
        #expect(tokens.contains("result"))
        #expect(tokens.contains("flatmap"))  // adjacent-pair join for 3+ parts
    }

    @Test func acronyms_endAtTheLastCapitalBeforeLowercase() {
        let tokens = Tokenizer.tokens("HTTPServer")
        #expect(tokens == ["httpserver", "http", "server"])
        #expect(Tokenizer.tokens("NIOWebSocket").contains("nio"))
        #expect(Tokenizer.tokens("NIOWebSocket").contains("web"))
    }

    @Test func snakeCase_andDigits() {
        let tokens = Tokenizer.tokens("read_inline_array2 Int64")
        #expect(tokens.contains("readinlinearray2"))
        #expect(tokens.contains("read"))
        #expect(tokens.contains("inline"))
        #expect(tokens.contains("int64"))
        #expect(tokens.contains("64"))
        #expect(!tokens.contains("2"))  // one-character tokens are dropped
    }

    @Test func plurals_areStemmedLightly() {
        #expect(Tokenizer.tokens("headers") == ["header"])
        #expect(Tokenizer.tokens("entries") == ["entry"])
        #expect(Tokenizer.tokens("class") == ["class"])
        #expect(Tokenizer.tokens("status") == ["status"])
    }

    @Test func unicode_isKeptAsIdentifierBytes() {
        let tokens = Tokenizer.tokens("café über_größe")
        #expect(tokens.contains("café"))
        #expect(tokens.contains("übergröße"))
        #expect(tokens.contains("größe"))
    }
}
