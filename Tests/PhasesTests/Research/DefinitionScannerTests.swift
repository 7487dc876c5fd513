import Testing

@testable import Phases

@Suite struct DefinitionScannerTests {
    /// Definitions by name as "kind start-end" (first occurrence wins).
    private func defs(_ text: String, _ language: SourceLanguage) -> [String: String] {
        var out: [String: String] = [:]
        for (name, kind, start, end) in DefinitionScanner.definitions(in: text, language: language)
        where out[name] == nil {
            out[name] = "\(kind) \(start)-\(end)"
        }
        return out
    }

    @Test func swift_typesMembersAndRanges() {
        let d = defs(
            """
            @available(macOS 13, *)
            public final class Decoder {
                private var state = 0
                public func decode(_ s: String) -> Int {
                    let local = 1
                    return local
                }
                class func make() -> Decoder { Decoder() }
            }
            extension Decoder: Sendable {}
            enum Mode {
                case fast, slow
            }
            protocol P {
                func required()
            }
            """, .swift)
        #expect(d["Decoder"] == "type 2-9")
        #expect(d["state"] == "value 3-3")
        #expect(d["decode"] == "function 4-7")
        #expect(d["make"] == "function 8-8")
        #expect(d["local"] == nil)  // locals inside functions are not definitions
        #expect(d["Mode"]?.hasPrefix("type ") == true)
        #expect(d["fast"]?.hasPrefix("value ") == true)
        #expect(d["required"] == "function 15-15")
        #expect(d["P"] == "type 14-16")
    }

    @Test func python_indentationRanges() {
        let d = defs(
            """
            MAX_SIZE = 10

            class Parser:
                def parse(self, text):
                    x = 1
                    return x

                async def close(self):
                    pass

            def helper():
                return 2
            """, .python)
        #expect(d["MAX_SIZE"] == "value 1-1")
        #expect(d["Parser"] == "type 3-9")
        #expect(d["parse"] == "function 4-6")
        #expect(d["close"] == "function 8-9")
        #expect(d["helper"] == "function 11-12")
        #expect(d["x"] == nil)
    }

    @Test func typescript_functionsClassesMethodsConsts() {
        let d = defs(
            """
            export interface Options { size: number }
            export const DEFAULT = 3;
            export default async function load(path: string) {
              const inner = 1;
              return inner;
            }
            export class Cache {
              private items = new Map();
              get(key: string): string {
                return this.items.get(key);
              }
            }
            type Alias = string;
            """, .typescript)
        #expect(d["Options"]?.hasPrefix("type ") == true)
        #expect(d["DEFAULT"] == "value 2-2")
        #expect(d["load"] == "function 3-6")
        #expect(d["inner"] == nil)
        #expect(d["Cache"] == "type 7-12")
        #expect(d["get"] == "function 9-11")
        #expect(d["Alias"]?.hasPrefix("type ") == true)
    }

    @Test func rust_itemsAndImplTargets() {
        let d = defs(
            """
            pub struct Frame { len: usize }
            impl<T> Display for Wrapper<T> {
                fn fmt(&self) -> String {
                    String::new()
                }
            }
            pub(crate) enum Kind { A, B }
            pub trait Codec {}
            mod tests {}
            """, .rust)
        #expect(d["Frame"] == "type 1-1")
        #expect(d["Wrapper"] == "extensionBlock 2-6")
        #expect(d["fmt"] == "function 3-5")
        #expect(d["Kind"]?.hasPrefix("type ") == true)
        #expect(d["Codec"]?.hasPrefix("type ") == true)
        #expect(d["tests"]?.hasPrefix("module ") == true)
    }

    @Test func go_funcsWithReceiversAndTypes() {
        let d = defs(
            """
            type Server struct {
                addr string
            }

            func (s *Server) Start() error {
                return nil
            }

            func NewServer() *Server { return &Server{} }
            """, .go)
        #expect(d["Server"] == "type 1-3")
        #expect(d["Start"] == "function 5-7")
        #expect(d["NewServer"] == "function 9-9")
    }

    @Test func java_classesAndMethods() {
        let d = defs(
            """
            @Deprecated
            public class Encoder implements Codec {
                private final int size;
                public Encoder(int size) {
                    this.size = size;
                }
                public static byte[] encode(String s) throws IOException {
                    if (s == null) { return null; }
                    return s.getBytes();
                }
            }
            enum Color { RED, GREEN }
            """, .java)
        #expect(d["Encoder"] == "type 2-11")
        #expect(d["encode"] == "function 7-10")
        #expect(d["Color"]?.hasPrefix("type ") == true)
    }

    @Test func commentsAndStrings_doNotConfuseBraces() {
        let d = defs(
            """
            struct A {
                let s = "}{"  // }
                /* } */
                func f() {}
            }
            struct B {}
            """, .swift)
        #expect(d["A"] == "type 1-5")
        #expect(d["f"] == "function 4-4")
        #expect(d["B"] == "type 6-6")
    }
}
