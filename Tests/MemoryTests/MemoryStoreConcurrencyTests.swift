import Foundation
import Synchronization
import Testing

@testable import Memory

@Suite(.timeLimit(.minutes(1))) struct MemoryStoreConcurrencyTests {
    /// Two stores on one directory each take their own `flock` descriptor, so they contend as two processes do.
    @Test func twoStores_manyThreads_appendConcurrently_withoutLosingOrTearingLines() throws {
        try withTemporaryDirectory { tmp throws in
            let stores = [try MemoryStore(directory: tmp(".raaid")), try MemoryStore(directory: tmp(".raaid"))]
            let threadsPerStore = 4
            let recordsPerThread = 200
            let failures = Mutex<[String]>([])
            let group = DispatchGroup()
            for (storeIndex, store) in stores.enumerated() {
                for thread in 0..<threadsPerStore {
                    group.enter()
                    Thread.detachNewThread {
                        defer { group.leave() }
                        for n in 0..<recordsPerThread {
                            do {
                                // Alternate between single appends and small batches, and between two sessions.
                                let session = n % 2 == 0 ? "shared" : "s\(storeIndex)"
                                let text =
                                    "store \(storeIndex) thread \(thread) record \(n) "
                                    + String(repeating: "x", count: n)
                                try store.append(.make(text: text, session: session))
                            } catch {
                                failures.withLock { $0.append("\(error)") }
                            }
                        }
                    }
                }
            }
            group.wait()
            #expect(failures.withLock { $0 }.isEmpty)

            let total = stores.count * threadsPerStore * recordsPerThread
            var lineCount = 0
            for session in try stores[0].sessions() {
                let bytes = try RawFile.read(tmp(".raaid/sessions/\(session)/records.jsonl"))
                #expect(bytes.last == 0x0A)
                let file = RecordFile(bytes: bytes)
                #expect(file.tornTail == nil)
                #expect(file.lines.allSatisfy { $0.record != nil })
                lineCount += file.lines.count
            }
            #expect(lineCount == total)
            let all = try stores[1].readAll()
            #expect(all.warnings.isEmpty)
            #expect(all.records.count == total)
            #expect(Set(all.records.map(\.id)).count == total)
        }
    }

    @Test func readers_seeOnlyWholeRecords_whileWritersAppend() throws {
        try withTemporaryDirectory { tmp throws in
            let writer = try MemoryStore(directory: tmp(".raaid"))
            let reader = try MemoryStore(directory: tmp(".raaid"))
            let problems = Mutex<[String]>([])
            let group = DispatchGroup()
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                for n in 0..<200 { _ = try? writer.append(.make(text: "n\(n)", session: "s")) }
            }
            var lastCount = 0
            for _ in 0..<100 {
                let result = try reader.read(session: "s")
                if !result.warnings.isEmpty { problems.withLock { $0.append("\(result.warnings)") } }
                #expect(result.records.count >= lastCount)
                lastCount = result.records.count
            }
            group.wait()
            #expect(problems.withLock { $0 }.isEmpty)
            #expect(try reader.read(session: "s").records.count == 200)
        }
    }
}
