import Foundation
import Memory
import Testing

@testable import Serve

/// The protocol layer without sockets: hello, run.start to run.completed, subscribe with since_seq,
/// sessions, cancel, queueing and bad client input.
@Suite(.timeLimit(.minutes(1))) struct ServeAppTests {
    @Test func hello_thenRunStartStreamsEventsToCompletion() async throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let client = FakeConnection()
        let context = fixture.app.open(client, resumeToken: nil)
        let hello = try #require(client.sent.first)
        #expect(hello["type"]?.stringValue == "hello")
        #expect(hello["session"]?.stringValue == context.session.id)
        #expect(hello["session_token"]?.stringValue?.count == 48)

        fixture.app.receive(text: #"{"type":"run.start","id":"r1","task":"frame parser"}"#, from: context)
        let ack = try #require(client.reply("ack", id: "r1"))
        let run = try #require(ack["run"]?.stringValue)
        try await client.waitForCompletion(of: run)
        let events = client.events(of: run)
        #expect(events.compactMap { $0["seq"]?.intValue } == Array(1...events.count))
        #expect(events.first?["type"]?.stringValue == "run.started")
        #expect(events.last?["status"]?.stringValue == "success")
        #expect(events.first?["session"]?.stringValue == context.session.id)
        let paths = events.filter { $0["kind"]?.stringValue == "related_file" }.compactMap { $0["record"]?["path"]?.stringValue }
        #expect(paths.first == "Sources/Parser/FrameParser.swift")
        let ackIndex = client.sent.firstIndex { $0["type"]?.stringValue == "ack" }!
        let firstEvent = client.sent.firstIndex { $0["seq"] != nil }!
        #expect(ackIndex < firstEvent, "ack arrives before the run's first event")
    }

    @Test func subscribeSinceSeq_afterReconnect_missesNothing() async throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let first = FakeConnection()
        let context = fixture.app.open(first, resumeToken: nil)
        fixture.app.receive(text: #"{"type":"run.start","id":"a","task":"handshake validate"}"#, from: context)
        let run = try #require(first.reply("ack", id: "a")?["run"]?.stringValue)
        let seen = first.events(of: run).count
        fixture.app.close(context)

        let second = FakeConnection()
        let resumed = fixture.app.open(second, resumeToken: context.session.token)
        #expect(second.sent.first?["resumed"]?.boolValue == true)
        #expect(resumed.session == context.session)
        fixture.app.receive(text: #"{"type":"subscribe","id":"s","run":"\#(run)","since_seq":\#(seen)}"#, from: resumed)
        try await second.waitForCompletion(of: run)
        let replayed = second.events(of: run).compactMap { $0["seq"]?.intValue }
        #expect(replayed.first == seen + 1)
        #expect(replayed == Array((seen + 1)...(replayed.last ?? seen + 1)))

        // After the run finished, a new subscriber replays from the event log.
        let third = FakeConnection()
        let again = fixture.app.open(third, resumeToken: context.session.token)
        fixture.app.receive(text: #"{"type":"subscribe","id":"t","run":"\#(run)","since_seq":2}"#, from: again)
        let fromLog = third.events(of: run).compactMap { $0["seq"]?.intValue }
        #expect(fromLog.first == 3)
        #expect(third.events(of: run).last?["type"]?.stringValue == "run.completed")
    }

    @Test func twoSessions_areIsolated() async throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let alice = FakeConnection(), bob = FakeConnection()
        let aliceContext = fixture.app.open(alice, resumeToken: nil)
        let bobContext = fixture.app.open(bob, resumeToken: nil)
        #expect(aliceContext.session.id != bobContext.session.id)
        fixture.app.receive(text: #"{"type":"run.start","id":"a","task":"frame parser"}"#, from: aliceContext)
        let run = try #require(alice.reply("ack", id: "a")?["run"]?.stringValue)
        fixture.app.receive(text: #"{"type":"subscribe","id":"b","run":"\#(run)"}"#, from: bobContext)
        #expect(bob.reply("error", id: "b")?["code"]?.stringValue == "forbidden")
        fixture.app.receive(text: #"{"type":"run.cancel","id":"c","run":"\#(run)"}"#, from: bobContext)
        #expect(bob.reply("error", id: "c")?["code"]?.stringValue == "forbidden")
        try await alice.waitForCompletion(of: run)
        #expect(bob.events(of: run).isEmpty)
        // Bob's session cannot read Alice's session records; both see promoted (global) ones.
        let bobView = try fixture.memory.read(session: bobContext.session.id)
        #expect(bobView.records.allSatisfy { $0.scope == .global || $0.session == bobContext.session.id })
    }

    @Test func cancel_endsRunAsCancelled() async throws {
        let fixture = try AppFixture(maxConcurrentRuns: 1, executor: AppFixture.holdUntilCancelled)
        defer { fixture.remove() }
        let client = FakeConnection()
        let context = fixture.app.open(client, resumeToken: nil)
        fixture.app.receive(text: #"{"type":"run.start","id":"1","task":"frame parser"}"#, from: context)
        fixture.app.receive(text: #"{"type":"run.start","id":"2","task":"handshake"}"#, from: context)
        let second = try #require(client.reply("ack", id: "2")?["run"]?.stringValue)
        try await client.waitForEvent("run.queued", of: second)
        #expect(client.events(of: second).first?["type"]?.stringValue == "run.queued")
        fixture.app.receive(text: #"{"type":"run.cancel","id":"3","run":"\#(second)"}"#, from: context)
        #expect(client.reply("ack", id: "3") != nil)
        try await client.waitForCompletion(of: second)
        let last = try #require(client.events(of: second).last)
        #expect(last["status"]?.stringValue == "cancelled")
        #expect(last["reason"]?.stringValue == "client_cancelled")
        // The running one is cancelled too, through its cancellation source.
        let first = try #require(client.reply("ack", id: "1")?["run"]?.stringValue)
        fixture.app.receive(text: #"{"type":"run.cancel","id":"4","run":"\#(first)"}"#, from: context)
        try await client.waitForCompletion(of: first)
        #expect(client.events(of: first).last?["reason"]?.stringValue == "client_cancelled")
    }

    @Test func queuedRun_startsWhenASlotFrees() async throws {
        let fixture = try AppFixture(maxConcurrentRuns: 1)
        defer { fixture.remove() }
        let client = FakeConnection()
        let context = fixture.app.open(client, resumeToken: nil)
        for id in ["1", "2", "3"] {
            fixture.app.receive(text: #"{"type":"run.start","id":"\#(id)","task":"frame parser \#(id)"}"#, from: context)
        }
        let runs = ["1", "2", "3"].compactMap { client.reply("ack", id: $0)?["run"]?.stringValue }
        #expect(runs.count == 3)
        for run in runs { try await client.waitForCompletion(of: run) }
        #expect(client.events(of: runs[2]).first?["position"]?.intValue == 2)
        for run in runs { #expect(client.events(of: run).last?["status"]?.stringValue == "success") }
    }

    @Test(arguments: [
        ("not json", "invalid_json"),
        ("[1,2]", "invalid_message"),
        (#"{"id":"x"}"#, "missing_field"),
        (#"{"type":"launch","id":"x"}"#, "unknown_type"),
        (#"{"type":"run.start","id":"x"}"#, "missing_field"),
        (#"{"type":"run.start","id":"x","task":"  "}"#, "task_empty"),
        (#"{"type":"run.start","id":"x","task":"t","options":{"max_related":0}}"#, "invalid_field"),
        (#"{"type":"subscribe","id":"x","run":"nope"}"#, "unknown_run"),
        (#"{"type":"subscribe","id":"x","run":"r","since_seq":-1}"#, "invalid_field"),
        (#"{"type":"permission.respond","id":"x","run":"r","request":"q","decision":"maybe"}"#, "invalid_field"),
    ])
    func badClientInput_getsErrorFrame(_ text: String, _ code: String) throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let client = FakeConnection()
        let context = fixture.app.open(client, resumeToken: nil)
        fixture.app.receive(text: text, from: context)
        let error = try #require(client.sent.last)
        #expect(error["type"]?.stringValue == "error")
        #expect(error["code"]?.stringValue == code)
        #expect((error["message"]?.stringValue?.count ?? 0) > 10)
        fixture.app.receive(text: #"{"type":"ping","id":"p"}"#, from: context)
        #expect(client.reply("ack", id: "p") != nil, "the connection keeps working")
    }

    @Test func rateLimit_refusesExcessMessages() throws {
        let fixture = try AppFixture(rate: 5)
        defer { fixture.remove() }
        let client = FakeConnection()
        let context = fixture.app.open(client, resumeToken: nil)
        for index in 0..<20 { fixture.app.receive(text: #"{"type":"ping","id":"\#(index)"}"#, from: context) }
        let limited = client.sent.filter { $0["code"]?.stringValue == "rate_limited" }
        #expect(limited.count >= 14)
        #expect(client.sent.filter { $0["type"]?.stringValue == "ack" }.count <= 6)
    }

    @Test func unknownResumeToken_getsNewSessionAndError() throws {
        let fixture = try AppFixture()
        defer { fixture.remove() }
        let client = FakeConnection()
        _ = fixture.app.open(client, resumeToken: "forged")
        #expect(client.sent.first?["resumed"]?.boolValue == false)
        #expect(client.sent.last?["code"]?.stringValue == "unknown_session")
    }

    @Test func constantTimeEquals() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abcd"))
        #expect(!ConstantTime.equals("", "a"))
    }
}
