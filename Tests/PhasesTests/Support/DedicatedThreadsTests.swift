#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import Synchronization
import Testing

@testable import Phases

@Suite struct DedicatedThreadsTests {
    /// The calling thread's nice value.
    private static func currentNice() -> Int32 {
        #if canImport(Glibc)
            getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
            getpriority(PRIO_PROCESS, 0)
        #endif
    }

    @Test func perform_runsEveryIteration_onItsOwnThread() {
        let seen = Mutex<[Int: pthread_t]>([:])
        DedicatedThreads.perform(iterations: 4) { index in
            seen.withLock { $0[index] = pthread_self() }
        }
        let threads = seen.withLock { $0 }
        #expect(threads.keys.sorted() == [0, 1, 2, 3])
        #expect(Set(threads.values.map { "\($0)" }).count == 4)  // all alive at once, so all distinct
    }

    @Test func niceness_appliesToThreadsStartedAfterIsSet_andOnlyToThem() async throws {
        let before = try await DedicatedThreads.value { Self.currentNice() }
        DedicatedThreads.niceness = before + 3
        defer { DedicatedThreads.niceness = 0 }
        let niced = try await DedicatedThreads.value { Self.currentNice() }
        #expect(niced == before + 3)
        // The caller's thread (a cooperative one) keeps its own value.
        #expect(Self.currentNice() == before)
        DedicatedThreads.niceness = 42
        #expect(DedicatedThreads.niceness == 19)
    }
}
