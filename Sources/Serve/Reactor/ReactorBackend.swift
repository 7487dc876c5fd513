/// Which readiness a task waits for.
public enum IOEvent: Sendable, Hashable {
    /// Readable, end of file or error.
    case read
    /// Writable or error.
    case write
}

/// One descriptor reported ready by a ``ReactorBackend``.
package struct Readiness: Sendable, Equatable {
    package var descriptor: Int32
    package var isReadable: Bool
    package var isWritable: Bool

    package init(descriptor: Int32, isReadable: Bool, isWritable: Bool) {
        self.descriptor = descriptor
        self.isReadable = isReadable
        self.isWritable = isWritable
    }
}

/// The readiness notification mechanism under a ``Reactor``: `poll(2)` in production, a script in tests.
///
/// ``setInterest(_:read:write:)`` and ``poll(timeout:)`` are only called from the reactor's own thread;
/// ``wake()`` may be called from any thread.
package protocol ReactorBackend: AnyObject, Sendable {
    /// Watches `descriptor` for the given events; neither removes it.
    func setInterest(_ descriptor: Int32, read: Bool, write: Bool)
    /// Blocks until a watched descriptor is ready, `timeout` passes (nil: forever) or ``wake()`` is called.
    func poll(timeout: Duration?) throws(SocketError) -> [Readiness]
    /// Drops whatever is known about `descriptor`: it was deregistered and is being closed, and its number may be
    /// reused by the next socket.
    func forget(_ descriptor: Int32)
    /// Makes a blocked or the next ``poll(timeout:)`` return promptly.
    func wake()
    /// Releases the backend's own descriptors.
    func close()
}

extension ReactorBackend {
    /// Stops watching `descriptor`.
    package func forget(_ descriptor: Int32) { setInterest(descriptor, read: false, write: false) }
}
