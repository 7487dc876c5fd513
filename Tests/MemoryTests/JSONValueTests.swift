import Testing
@testable import Memory

@Suite struct JSONValueTests {
    @Test func roundTrip_keepsKeyOrderAndEscapes() throws {
        let text = #"{"v":1,"b":[true,false,null],"s":"a\"\\\n\u0001é😀","n":-12,"d":1.5}"#
        let value = try JSONValue.parse(text)
        #expect(value.serialized() == #"{"v":1,"b":[true,false,null],"s":"a\"\\\n\u0001é😀","n":-12,"d":1.5}"#)
        #expect(value["s"]?.stringValue == "a\"\\\n\u{1}é😀")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "\"\\x\"", "tru", "1 2", "\"\\ud800\""])
    func parse_rejectsInvalid(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func parse_surrogatePair() throws {
        #expect(try JSONValue.parse(#""\ud83d\ude00""#) == .string("😀"))
    }
}
