import Foundation
import Synchronization
import Testing

@testable import Phases

@Suite struct WorkspaceWalkerTests {
    private func walk(_ root: String, _ configure: (inout WalkOptions) -> Void = { _ in }) throws -> WalkResult {
        var options = WalkOptions()
        configure(&options)
        return try WorkspaceWalker(root: root, options: options).walk()
    }

    @Test func files_areSortedByPathBytes_acrossDirectories() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        let paths = ["a-b/x", "a/x", "a.txt", "a0", "a/b/c/d.swift", "a/b.c", "B", "_", "z/y/x/w"]
        for path in paths { try tree.write(path, "1") }
        for threads in [1, 2] {
            var walker = WorkspaceWalker(root: tree.root + "/")
            walker.maximumThreads = threads
            let result = try walker.walk()
            #expect(
                result.files.map(\.path) == paths.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            #expect(result.directoriesVisited == 8)
        }
    }

    @Test func files_carrySizeInodeAndNanosecondModificationTime() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("dir/file.txt", "hello")
        let file = try #require(try walk(tree.root).files.first)
        var info = stat()
        #expect(stat(tree.root + "/dir/file.txt", &info) == 0)
        #expect(file.path == "dir/file.txt")
        #expect(file.size == 5)
        #expect(file.inode == UInt64(info.st_ino))
        #expect(file.modificationTime == Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    @Test func skips_countEachReason() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write(".gitignore", "*.log\nignored-dir/\n")
        try tree.write("keep.swift", "let x = 1")
        try tree.write("a.log", "")
        try tree.write("ignored-dir/inner.swift", "")
        try tree.write("image.PNG", "")
        try tree.write("lib/libfoo.so", "")
        try tree.write("big.txt", String(repeating: "x", count: 2048))
        try tree.write(".git/HEAD", "ref: refs/heads/main\n")
        try tree.write(".hg/store", "")
        try tree.write("sub/.git", "gitdir: elsewhere\n")
        try tree.symlink("link.swift", to: "keep.swift")
        try tree.symlink("linkdir", to: "lib")
        let result = try walk(tree.root) { $0.maxFileSize = 1024 }
        #expect(result.files.map(\.path) == [".gitignore", "keep.swift"])
        #expect(
            result.skipped == [
                "ignored": 2, "binary_extension": 2, "too_large": 1, "vcs": 3, "symlink": 2,
            ])
    }

    @Test func excludedPaths_skipDirectoriesAndFiles_givenRelativeOrAbsolute() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write(".raaid/memory/run.json", "{}")
        try tree.write(".raaid/config.json", "{}")
        try tree.write("notes/private.md", "")
        try tree.write("notes/public.md", "")
        let result = try walk(tree.root) {
            $0.excludedPaths = ["./.raaid/memory/", tree.root + "/notes/private.md"]
        }
        #expect(result.files.map(\.path) == [".raaid/config.json", "notes/public.md"])
        #expect(result.skipped["ignored"] == 2)
    }

    @Test func extraIgnoreFile_appliesAfterGitignoreInSameDirectory() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write(".gitignore", "*.md\n")
        try tree.write(".raaidignore", "!README.md\nfixtures/\n")
        try tree.write("README.md", "")
        try tree.write("NOTES.md", "")
        try tree.write("fixtures/big.json", "")
        try tree.write("pkg/.raaidignore", "*.gen.swift\n")
        try tree.write("pkg/a.gen.swift", "")
        try tree.write("pkg/a.swift", "")
        let paths = try walk(tree.root).files.map(\.path)
        #expect(paths == [".gitignore", ".raaidignore", "README.md", "pkg/.raaidignore", "pkg/a.swift"])
        let withoutExtra = try walk(tree.root) { $0.extraIgnoreFileNames = [] }.files.map(\.path)
        #expect(withoutExtra.contains("fixtures/big.json"))
    }

    @Test func worktreeGitFile_leadsToCommonInfoExclude() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("meta/info/exclude", "*.secret\n")
        try tree.write("meta/worktrees/w/commondir", "../..\n")
        try tree.write("repo/.git", "gitdir: ../meta/worktrees/w\n")
        try tree.write("repo/a.secret", "")
        try tree.write("repo/a.swift", "")
        let result = try walk(tree.root + "/repo")
        #expect(result.files.map(\.path) == ["a.swift"])
        #expect(result.skipped == ["ignored": 1, "vcs": 1])
    }

    @Test func followSymlinks_staysInsideRootAndVisitsEachDirectoryOnce() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("outside/secret.txt", "")
        try tree.write("ws/src/main.swift", "")
        try tree.symlink("ws/alias", to: "src")
        try tree.symlink("ws/loop", to: ".")
        try tree.symlink("ws/escape", to: "../outside")
        try tree.symlink("ws/file-link.swift", to: "src/main.swift")
        let result = try walk(tree.root + "/ws") { $0.followSymlinks = true }
        #expect(result.files.map(\.path) == ["alias/main.swift", "file-link.swift"])
        #expect(result.skipped["symlink"] == 3)  // src (already seen via alias), loop, escape
    }

    @Test func errors_describeTheProblem() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("file.txt", "")
        #expect(throws: WorkspaceError.self) { try WorkspaceWalker(root: tree.root + "/missing").walk() }
        do {
            _ = try WorkspaceWalker(root: tree.root + "/file.txt").walk()
            Issue.record("expected an error")
        } catch let error as WorkspaceError {
            if case .notADirectory = error {
                #expect(error.description.contains("not a directory"))
            } else {
                Issue.record("wrong error \(error)")
            }
        }
        #expect(WorkspaceError.notFound(path: "/x").description.contains("does not exist"))
        #expect(WorkspaceError.unreadable(path: "/x", errno: EACCES).description.contains("ermission"))
    }

    @Test func cancellation_throwsCancellationError() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        for index in 0..<20 { try tree.write("d\(index)/f.txt", "") }
        let calls = Atomic<Int>(0)
        #expect(throws: CancellationError.self) {
            try WorkspaceWalker(root: tree.root).walk(shouldCancel: {
                calls.add(1, ordering: .relaxed).newValue > 3
            })
        }
    }

    @Test func progress_reportsTheFinalCount() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        for index in 0..<1100 { try tree.write("d\(index % 7)/f\(index).txt", "") }
        let last = Atomic<Int>(0)
        let result = try WorkspaceWalker(root: tree.root).walk(progress: { last.store($0, ordering: .relaxed) })
        #expect(result.files.count == 1100)
        #expect(last.load(ordering: .relaxed) == 1100)
    }
}
