import Testing

@testable import Phases

/// Sanity checks on small repositories in other languages: the method is not Swift-specific.
@Suite struct NonSwiftFixtureTests {
    @Test func python_fileDefiningNamedFunction_ranksFirst_testAfterSource() throws {
        let ws = try TempWorkspace()
        defer { ws.remove() }
        try ws.write("pyproject.toml", "[project]\nname = \"mini\"\n")
        try ws.write(
            "mini/parsing.py",
            """
            import re


            def parse_duration(text):
                \"\"\"Parse '5m' or '2h' into seconds.\"\"\"
                m = re.match(r"(\\d+)([smh])", text)
                return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600}[m.group(2)]
            """)
        try ws.write(
            "mini/cli.py",
            "from mini.parsing import parse_duration\n\n\ndef main(argv):\n    return parse_duration(argv[1])\n")
        try ws.write("mini/config.py", "class Config:\n    timeout = 30\n    retries = 3\n")
        try ws.write(
            "tests/test_parsing.py",
            "from mini.parsing import parse_duration\n\n\ndef test_parse_duration():\n    assert parse_duration('5m') == 300\n"
        )
        let result = try ResearchEngine(workspace: ws.root).run(
            task: "parse_duration crashes on days\n\nPassing `3d` raises KeyError; support days in parse_duration.")
        let paths = result.relatedFiles.map(\.path)
        #expect(paths.first == "mini/parsing.py")
        let test = try #require(paths.firstIndex(of: "tests/test_parsing.py"))
        let cli = try #require(paths.firstIndex(of: "mini/cli.py"))
        #expect(cli < test)
        let snippet = try #require(result.snippets.first)
        #expect(snippet.path == "mini/parsing.py" && snippet.symbol == "parse_duration" && snippet.startLine == 4)
    }

    @Test func typescript_fileDefiningNamedClass_ranksFirst() throws {
        let ws = try TempWorkspace()
        defer { ws.remove() }
        try ws.write("package.json", "{ \"name\": \"mini\", \"scripts\": { \"test\": \"vitest\" } }\n")
        try ws.write(
            "src/cache/lruCache.ts",
            """
            export class LruCache<K, V> {
              private map = new Map<K, V>();
              constructor(private capacity: number) {}

              get(key: K): V | undefined {
                const v = this.map.get(key);
                if (v !== undefined) { this.map.delete(key); this.map.set(key, v); }
                return v;
              }
            }
            """)
        try ws.write("src/cache/index.ts", "export { LruCache } from './lruCache';\n")
        try ws.write("src/http/client.ts", "import { LruCache } from '../cache';\nconst cache = new LruCache(10);\n")
        try ws.write(
            "src/cache/lruCache.test.ts", "import { LruCache } from './lruCache';\ntest('evicts', () => {});\n")
        let result = try ResearchEngine(workspace: ws.root).run(
            task: "LruCache never evicts entries when capacity is reached")
        let paths = result.relatedFiles.map(\.path)
        #expect(paths.first == "src/cache/lruCache.ts")
        let test = try #require(paths.firstIndex(of: "src/cache/lruCache.test.ts"))
        #expect(test > paths.firstIndex(of: "src/http/client.ts") ?? 0)
    }
}
