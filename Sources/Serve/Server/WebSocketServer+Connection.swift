/// A connection's two phases: the HTTP request head (route it, upgrade or answer), then the WebSocket.
extension WebSocketServer {
    /// The HTTP phase of one accepted connection: answers a plain request, or completes the upgrade and hands the
    /// WebSocket to a fresh task (``ConnectionWork``) by returning, so this task's frames are gone before it idles.
    func handshake(_ io: AsyncSocket, peer: SocketAddress, work: ConnectionWork) async {
        guard let (connection, context) = await handshake(io, peer: peer) else {
            recorder.connectionsOpen.add(-1)
            return
        }
        if !work.offer(.upgraded(connection, context)) {
            // The server stopped while this handshake ran: the WebSocket is never served.
            io.close()
            recorder.connectionsOpen.add(-1)
        }
    }

    /// The WebSocket phase: in this task until the connection is closed, or, when the handler gives a
    /// ``WSReceiver``, with no task while idle (this task ends at once).
    func serveWebSocket(_ connection: WSConnection, context: (any Sendable)?) async {
        recorder.webSocketsOpen.add(1)
        recorder.webSocketsTotal.add(1)
        register(connection)
        if let receiver = handler.receiver(for: connection, request: connection.request, context: context) {
            connection.startPump(receiver) { [self] in ended(connection) }
            return
        }
        await connection.serve(handler: handler, context: context)
        ended(connection)
    }

    private func ended(_ connection: WSConnection) {
        unregister(connection)
        recorder.webSocketsOpen.add(-1)
        recorder.connectionsOpen.add(-1)
    }

    /// Reads the head and answers it; returns the upgraded connection, or nil once a plain response was sent or the
    /// connection failed (the socket is then closed).
    @inline(never)
    private func handshake(_ io: AsyncSocket, peer: SocketAddress) async -> (WSConnection, (any Sendable)?)? {
        guard let (request, leftover) = await readHead(io) else {
            io.close()
            return nil
        }
        guard Self.isUpgradeRequest(request) else {
            let response = await handler.respond(to: request, peer: peer)
            recorder.httpRequests.add(1)
            await sendAndClose(io, response)
            return nil
        }
        let key: String
        switch WSHandshake.validate(request) {
        case .failure(let response):
            recorder.handshakesRejected.add(1)
            await sendAndClose(io, response)
            return nil
        case .success(let value):
            key = value
        }
        let subprotocol: String?
        let context: (any Sendable)?
        switch await handler.shouldUpgrade(request, peer: peer) {
        case .reject(let response):
            recorder.handshakesRejected.add(1)
            await sendAndClose(io, response)
            return nil
        case .accept(let chosen, let value):
            subprotocol = chosen
            context = value
        }
        let accepted = WSHandshake.response(key: key, subprotocol: subprotocol).serialized()
        guard (try? await io.write(accepted, stallTimeout: configuration.writeStallTimeout)) == true else {
            io.close()
            return nil
        }
        recorder.bytesOut.add(accepted.count)
        let connection = WSConnection(
            id: makeConnectionID(), peer: peer, request: request, subprotocol: subprotocol, io: io,
            configuration: configuration, metrics: recorder, leftover: leftover)
        return (connection, context)
    }

    /// Reads the request head within the handshake timeout; nil (after any error response) when there is none.
    private func readHead(_ io: AsyncSocket) async -> (HTTPRequestHead, ArraySlice<UInt8>)? {
        let deadline = ContinuousClock.now + configuration.handshakeTimeout
        var parser = HTTPHeadParser(limits: configuration.httpLimits)
        while true {
            let event: AsyncSocket.ReadEvent
            do {
                event = try await io.read(maxCount: 16 * 1024, deadline: deadline)
            } catch {
                return nil
            }
            switch event {
            case .bytes(let bytes):
                recorder.bytesIn.add(bytes.count)
                var input = bytes[...]
                do {
                    // Copy the leftover: a slice would pin the whole 16 KiB read buffer for the connection's life.
                    if let head = try parser.parse(&input) {
                        return (head, input.isEmpty ? [] : ArraySlice(Array(input)))
                    }
                } catch {
                    recorder.handshakesRejected.add(1)
                    var response = error.response
                    if !response.headers.contains(where: { $0.0.lowercased() == "connection" }) {
                        response.headers.append(("Connection", "close"))
                    }
                    _ = try? await io.write(response.serialized(), stallTimeout: configuration.writeStallTimeout)
                    return nil
                }
            case .endOfFile, .interrupted:
                return nil
            case .timedOut:
                recorder.handshakeTimeouts.add(1)
                return nil
            }
        }
    }

    /// Whether the request asks for a WebSocket (it then must pass ``WSHandshake/validate(_:)``).
    static func isUpgradeRequest(_ request: HTTPRequestHead) -> Bool {
        if !request.headers(named: "Sec-WebSocket-Key").isEmpty { return true }
        return request.headers(named: "Upgrade").contains { $0.lowercased().contains("websocket") }
    }

    /// Writes `response` with `Connection: close`, sends FIN, drains the peer's input briefly, and closes.
    private func sendAndClose(_ io: AsyncSocket, _ response: HTTPResponse) async {
        var response = response
        if !response.headers.contains(where: { $0.0.lowercased() == "connection" }) {
            response.headers.append(("Connection", "close"))
        }
        let bytes = response.serialized()
        if (try? await io.write(bytes, stallTimeout: configuration.writeStallTimeout)) == true {
            recorder.bytesOut.add(bytes.count)
            io.socket.shutdownWrite()
            let deadline = ContinuousClock.now + min(configuration.closeTimeout, .seconds(2))
            while case .bytes? = try? await io.read(deadline: deadline) {}
        }
        io.close()
    }
}
