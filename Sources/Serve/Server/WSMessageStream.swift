/// The messages received on one ``WSConnection``, in order; it ends when the connection closes.
///
/// Messages are read from the socket on demand: the task iterating the sequence does the reading (and answers
/// pings and close frames on the way). While it does not ask for the next message, nothing is read, so a slow
/// handler meets TCP backpressure instead of growing the server's memory. Iterate it from one task only; a second
/// concurrent iterator gets nil.
public struct WSMessageStream: AsyncSequence, Sendable {
    public typealias Element = WSMessage
    public typealias Failure = Never

    let connection: WSConnection

    /// Iterates the messages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let connection: WSConnection

        /// The next message, or nil once the connection is closed or the task is cancelled.
        public mutating func next() async -> WSMessage? { await connection.nextMessage() }

        public mutating func next(isolation actor: isolated (any Actor)?) async -> WSMessage? {
            await connection.nextMessage()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(connection: connection) }
}
