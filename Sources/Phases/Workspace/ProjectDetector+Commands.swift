import Memory

extension ProjectDetector {
    /// Build and test commands for the manifests in one directory (`""` for the root, else ending in `/`).
    func commands(in directory: String, index: ProjectFileIndex) -> (build: [String], test: [String]) {
        var build: [String] = []
        var test: [String] = []
        func has(_ name: String) -> Bool { index.contains(directory + name) }

        if has("Package.swift") {
            build.append("swift build")
            let manifest = read(directory + "Package.swift") ?? ""
            if index.hasAny(under: directory + "Tests/") || manifest.contains(".testTarget(") {
                test.append("swift test")
            }
        }
        if has("package.json") { nodeCommands(directory, index, &build, &test) }
        if has("Cargo.toml") {
            build.append("cargo build")
            test.append("cargo test")
        }
        if has("go.mod") {
            build.append("go build ./...")
            test.append("go test ./...")
        }
        if has("pom.xml") {
            build.append("mvn -q package")
            test.append("mvn test")
        }
        if has("build.gradle") || has("build.gradle.kts") {
            let gradle = has("gradlew") ? "./gradlew" : "gradle"
            build.append("\(gradle) build")
            test.append("\(gradle) test")
        }
        pythonCommands(directory, index, &build, &test)
        if has("CMakeLists.txt") {
            build.append("cmake -S . -B build && cmake --build build")
            if read(directory + "CMakeLists.txt")?.contains("enable_testing") == true {
                test.append("ctest --test-dir build")
            }
        }
        if let makefile = ["Makefile", "GNUmakefile", "makefile"].first(where: has) {
            let targets = Self.makeTargets(read(directory + makefile) ?? "")
            if targets.contains("build") {
                build.append("make build")
            } else if build.isEmpty && !targets.isEmpty {
                build.append("make")
            }
            if targets.contains("test") {
                test.append("make test")
            } else if targets.contains("check") {
                test.append("make check")
            }
        }
        return (build, test)
    }

    private func nodeCommands(_ directory: String, _ index: ProjectFileIndex, _ build: inout [String], _ test: inout [String])
    {
        let runner: (name: String, run: String, test: String)
        if index.contains(directory + "pnpm-lock.yaml") {
            runner = ("pnpm", "pnpm run", "pnpm test")
        } else if index.contains(directory + "yarn.lock") {
            runner = ("yarn", "yarn", "yarn test")
        } else if index.contains(directory + "bun.lockb") || index.contains(directory + "bun.lock") {
            runner = ("bun", "bun run", "bun run test")
        } else {
            runner = ("npm", "npm run", "npm test")
        }
        let scripts = Self.packageScripts(read(directory + "package.json") ?? "")
        if scripts["build"] != nil {
            build.append("\(runner.run) build")
        } else if index.contains(directory + "tsconfig.json") {
            build.append("npx tsc -p .")
        }
        if let script = scripts["test"], !script.contains("no test specified") {
            test.append(runner.test)
        }
    }

    private func pythonCommands(
        _ directory: String, _ index: ProjectFileIndex, _ build: inout [String], _ test: inout [String]
    ) {
        let pyproject = index.contains(directory + "pyproject.toml") ? read(directory + "pyproject.toml") ?? "" : nil
        let hasSetup = index.contains(directory + "setup.py") || index.contains(directory + "setup.cfg")
        if pyproject != nil || hasSetup {
            build.append("pip install -e .")
        } else if index.contains(directory + "requirements.txt") {
            build.append("pip install -r requirements.txt")
        }
        let configured =
            index.contains(directory + "pytest.ini") || index.contains(directory + "conftest.py")
            || index.contains(directory + "tests/conftest.py")
            || pyproject?.contains("[tool.pytest") == true
            || (index.contains(directory + "setup.cfg")
                && read(directory + "setup.cfg")?.contains("[tool:pytest]") == true)
            || (index.contains(directory + "tox.ini") && read(directory + "tox.ini")?.contains("[pytest]") == true)
        let testFiles = index.paths.contains { path in
            guard path.hasPrefix(directory + "tests/") || path.hasPrefix(directory + "test/") else { return false }
            let name = path.split(separator: "/").last!
            return name.hasSuffix(".py") && (name.hasPrefix("test_") || name.hasSuffix("_test.py"))
        }
        if configured || testFiles { test.append("pytest") }
    }

    /// `scripts` of a package.json, by name.
    static func packageScripts(_ text: String) -> [String: String] {
        guard case .object(let object)? = try? JSONValue.parse(text), case .object(let scripts)? = object["scripts"]
        else { return [:] }
        var result: [String: String] = [:]
        for (name, value) in scripts.pairs {
            if case .string(let command) = value { result[name] = command }
        }
        return result
    }

    /// Explicit rule targets of a Makefile (`name:` at the start of a line, not `name :=` assignments).
    static func makeTargets(_ text: String) -> Set<String> {
        var targets: Set<String> = []
        for line in text.split(separator: "\n") {
            guard let first = line.first, first != "\t", first != "#", first != "." else { continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let after = line[line.index(after: colon)...]
            if after.hasPrefix("=") { continue }
            for name in line[..<colon].split(separator: " ") where !name.contains("$") && !name.contains("=") {
                targets.insert(String(name))
            }
        }
        return targets
    }
}
