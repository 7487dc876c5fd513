#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
@preconcurrency import Dispatch
import Synchronization

/// Delivers SIGINT and SIGTERM to a handler with how many signals arrived so far (1 for the first).
///
/// Signals are delivered through `DispatchSource`, never a raw C handler, so only ordinary Swift runs.
final class SignalTrap: @unchecked Sendable {
    // @unchecked: `sources` is set once in init; DispatchSource is thread-safe but not annotated Sendable.
    /// The signals handled.
    enum Kind: String, Sendable { case sigint, sigterm }

    private let sources: [any DispatchSourceSignal]

    init(handler: @escaping @Sendable (Kind, Int) -> Void) {
        let count = Mutex(0)
        var sources: [any DispatchSourceSignal] = []
        for (number, kind) in [(SIGINT, Kind.sigint), (SIGTERM, .sigterm)] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let seen = count.withLock { $0 += 1; return $0 }
                handler(kind, seen)
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Stops listening.
    func cancel() { sources.forEach { $0.cancel() } }
}

/// Reads raaid's own environment (the Phases ProcessEnvironment filters what tools inherit).
enum EnvironmentVariables {
    /// The value of `name`, if set.
    static func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
