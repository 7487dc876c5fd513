#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
import Dispatch
import Phases

/// Turns SIGINT / SIGTERM into run cancellation (the first one) and an immediate stop (the second).
///
/// Signals are delivered through `DispatchSource`, never a raw C handler, so only ordinary Swift runs.
final class SignalTrap: @unchecked Sendable {
    // @unchecked: `sources` is written once in init and only read by cancel(); Dispatch sources are thread-safe.
    private var sources: [any DispatchSourceSignal] = []

    init(cancellation: CancellationSource, onSecondSignal: @escaping @Sendable (RunOutcome.Reason) -> Void) {
        for (number, reason) in [(SIGINT, RunOutcome.Reason.sigint), (SIGTERM, .sigterm)] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if !cancellation.cancel(reason) { onSecondSignal(reason) }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops listening.
    func cancel() { sources.forEach { $0.cancel() } }
}
