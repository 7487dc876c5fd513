import Testing

@testable import Phases

@Suite struct ProjectDetectorTests {
    private func detect(_ files: [String: String]) throws -> ProjectFacts {
        let tree = try TemporaryTree("project")
        defer { tree.remove() }
        for (path, content) in files { try tree.write(path, content) }
        let walked = try WorkspaceWalker(root: tree.root).walk().files
        return ProjectDetector(root: tree.root).detect(files: walked)
    }

    @Test func swiftPackage() throws {
        let facts = try detect([
            "Package.swift": """
            let package = Package(name: "tool", targets: [
                .executableTarget(name: "tool", dependencies: ["Core"]),
                .executableTarget(
                    name: "server"),
                .target(name: "Core"),
                .testTarget(name: "CoreTests", dependencies: ["Core"]),
            ])
            """,
            "Sources/tool/main.swift": "print(1)",
            "Sources/server/Server.swift": "@main struct Server { static func main() {} }",
            "Sources/server/Routes.swift": "struct Routes {}",
            "Sources/Core/Core.swift": "public struct Core {}",
            "Tests/CoreTests/CoreTests.swift": "import Testing",
            "scripts/release.sh": "#!/bin/sh",
        ])
        #expect(facts.languages == [LanguageCount(name: "Swift", files: 6), LanguageCount(name: "Shell", files: 1)])
        #expect(facts.buildCommands == ["swift build"])
        #expect(facts.testCommands == ["swift test"])
        #expect(facts.entryPoints == ["Sources/tool/main.swift", "Sources/server/Server.swift"])
        #expect(facts.manifests == ["Package.swift"])
    }

    @Test func swiftPackageWithoutTests_hasNoTestCommand() throws {
        let facts = try detect(["Package.swift": "let package = Package(name: \"x\")", "Sources/x/x.swift": ""])
        #expect(facts.testCommands.isEmpty)
    }

    @Test func pythonProject() throws {
        let facts = try detect([
            "pyproject.toml": """
            [project]
            name = "tool"
            [project.scripts]
            tool = "tool.cli:main"
            [tool.pytest.ini_options]
            addopts = "-q"
            """,
            "src/tool/__init__.py": "", "src/tool/cli.py": "def main(): pass", "src/tool/__main__.py": "",
            "tests/test_cli.py": "def test_x(): pass",
        ])
        #expect(facts.languages == [LanguageCount(name: "Python", files: 4)])
        #expect(facts.buildCommands == ["pip install -e ."])
        #expect(facts.testCommands == ["pytest"])
        #expect(facts.entryPoints == ["src/tool/__main__.py", "src/tool/cli.py"])
        #expect(facts.manifests == ["pyproject.toml"])
    }

    @Test func pythonRequirementsWithTestsDirectory() throws {
        let facts = try detect(["requirements.txt": "requests\n", "app.py": "", "tests/test_app.py": ""])
        #expect(facts.buildCommands == ["pip install -r requirements.txt"])
        #expect(facts.testCommands == ["pytest"])
        #expect(facts.entryPoints == ["app.py"])
    }

    @Test func typeScriptPackage() throws {
        let facts = try detect([
            "package.json": """
            {"name": "web", "main": "./dist/index.js", "bin": {"web": "./bin/web.js"},
             "scripts": {"build": "tsc", "test": "vitest run"}}
            """,
            "yarn.lock": "", "tsconfig.json": "{}", "bin/web.js": "", "src/index.ts": "", "src/util.ts": "",
            "src/view.tsx": "", ".gitignore": "dist/\nnode_modules/\n", "node_modules/x/index.js": "",
        ])
        #expect(
            facts.languages == [
                LanguageCount(name: "TypeScript", files: 3), LanguageCount(name: "JavaScript", files: 1),
            ])
        #expect(facts.buildCommands == ["yarn build"])
        #expect(facts.testCommands == ["yarn test"])
        #expect(facts.entryPoints == ["bin/web.js", "src/index.ts"])
        #expect(facts.manifests == ["package.json", "tsconfig.json"])
    }

    @Test func javaScriptPackage_withPlaceholderTestScript() throws {
        let facts = try detect([
            "package.json":
                #"{"main": "index.js", "scripts": {"test": "echo \"Error: no test specified\" && exit 1"}}"#,
            "index.js": "",
        ])
        #expect(facts.buildCommands.isEmpty)
        #expect(facts.testCommands.isEmpty)
        #expect(facts.entryPoints == ["index.js"])
    }

    @Test func rustCrate() throws {
        let facts = try detect([
            "Cargo.toml": "[package]\nname = \"x\"\n", "src/main.rs": "fn main() {}", "src/lib.rs": "",
            "src/bin/extra.rs": "fn main() {}", "target/debug/x.rs": "",
        ])
        #expect(facts.languages == [LanguageCount(name: "Rust", files: 3)])
        #expect(facts.buildCommands == ["cargo build"])
        #expect(facts.testCommands == ["cargo test"])
        #expect(facts.entryPoints == ["src/bin/extra.rs", "src/main.rs"])
    }

    @Test func goModule() throws {
        let facts = try detect([
            "go.mod": "module example.com/x\n", "cmd/server/main.go": "package main", "cmd/cli/main.go": "package main",
            "internal/x.go": "package internal",
            "Makefile": "VERSION := 1\nbuild:\n\tgo build ./...\ntest: build\n\tgo test ./...\n",
        ])
        #expect(facts.languages == [LanguageCount(name: "Go", files: 3), LanguageCount(name: "Makefile", files: 1)])
        #expect(facts.buildCommands == ["go build ./...", "make build"])
        #expect(facts.testCommands == ["go test ./...", "make test"])
        #expect(facts.entryPoints == ["cmd/cli/main.go", "cmd/server/main.go"])
        #expect(facts.manifests == ["Makefile", "go.mod"])
    }

    @Test func javaMavenAndGradle() throws {
        let maven = try detect([
            "pom.xml": "<project/>",
            "src/main/java/com/x/App.java": "public class App { public static void main(String[] args) {} }",
            "src/main/java/com/x/Util.java": "class Util {}",
            "src/test/java/com/x/AppTest.java": "class AppTest {}",
        ])
        #expect(maven.languages == [LanguageCount(name: "Java", files: 3)])
        #expect(maven.buildCommands == ["mvn -q package"])
        #expect(maven.testCommands == ["mvn test"])
        #expect(maven.entryPoints == ["src/main/java/com/x/App.java"])

        let gradle = try detect([
            "build.gradle.kts": "", "gradlew": "#!/bin/sh", "src/main/kotlin/Main.kt": "fun main() {}",
        ])
        #expect(gradle.buildCommands == ["./gradlew build"])
        #expect(gradle.testCommands == ["./gradlew test"])
        #expect(gradle.entryPoints == ["src/main/kotlin/Main.kt"])
    }

    @Test func nestedManifests_areUsedWithCdWhenTheRootHasNone() throws {
        let facts = try detect([
            "backend/go.mod": "module x\n", "backend/main.go": "package main",
            "frontend/package.json": #"{"scripts": {"build": "vite build", "test": "vitest"}}"#,
            "frontend/src/app.ts": "",
        ])
        #expect(facts.manifests == ["backend/go.mod", "frontend/package.json"])
        #expect(facts.buildCommands == ["cd backend && go build ./...", "cd frontend && npm run build"])
        #expect(facts.testCommands == ["cd backend && go test ./...", "cd frontend && npm test"])
    }

    @Test func headers_followTheDominantCFamilyLanguage() {
        var counts = ["C++": 3, "C": 1]
        LanguageTable.attributeHeaders(&counts, headers: 2)
        #expect(counts == ["C++": 5, "C": 1])
        var none: [String: Int] = [:]
        LanguageTable.attributeHeaders(&none, headers: 1)
        #expect(none == ["C": 1])
    }
}
