/// One entry of memory: a fact, snippet, related file, note, plan, task, work-log entry or answer.
///
/// On disk a record is one JSON line with its keys in this order:
/// ```
/// {"v":1,"id":"01JD…","kind":"fact","time":"2026-11-22T01:02:03.456Z","run":"…"|null,
///  "session":"…","phase":"research"|null,"scope":"global"|"session","data":{…}}
/// ```
/// Writing a record with an id that already exists revises it: readers keep the later version
/// (see ``MemoryStore/read(session:kind:)``).
public struct MemoryRecord: Sendable, Equatable {
    /// The record format version written in `v`.
    public static let version = 1

    /// A ULID: 26 characters, unique, sortable by creation time.
    public var id: String
    /// What the record holds.
    public var kind: MemoryKind
    /// When this version was written: RFC 3339 UTC with milliseconds.
    public var time: String
    /// The run that wrote it, if any.
    public var run: String?
    /// The session that wrote it.
    public var session: String
    /// The phase that produced it (`research`, `planning`, `implementation`), if any.
    public var phase: String?
    /// Global (promoted) or session-only.
    public var scope: MemoryScope
    /// The payload, with keys in the order they were set.
    public var data: JSONObject

    /// Creates a session-scoped record with a fresh id and the current time.
    public init(kind: MemoryKind, data: JSONObject, session: String, run: String? = nil, phase: String? = nil) {
        let stamp = RecordStamp.next()
        self.init(
            id: stamp.id, kind: kind, time: stamp.time, run: run, session: session, phase: phase, scope: .session,
            data: data)
    }

    /// Creates a record from every field, for imports and tests.
    public init(
        id: String, kind: MemoryKind, time: String, run: String?, session: String, phase: String?,
        scope: MemoryScope, data: JSONObject
    ) {
        self.id = id
        self.kind = kind
        self.time = time
        self.run = run
        self.session = session
        self.phase = phase
        self.scope = scope
        self.data = data
    }

    /// A new version of this record with `data` replaced: same id, and the current time, at least one
    /// millisecond after this version's, so that readers prefer the new version.
    public func revised(data: JSONObject) -> MemoryRecord {
        var copy = self
        copy.data = data
        let after = RecordStamp.milliseconds(fromRFC3339: time).map { $0 + 1 } ?? 0
        copy.time = RecordStamp.next(notBefore: after).time
        return copy
    }

    /// The record as its on-disk JSON object.
    public var json: JSONValue {
        .object([
            "v": .int(Int64(Self.version)), "id": .string(id), "kind": .string(kind.rawValue), "time": .string(time),
            "run": .from(run), "session": .string(session), "phase": .from(phase),
            "scope": .string(scope.rawValue), "data": .object(data),
        ])
    }

    /// The on-disk line: ``json`` serialized, followed by `\n`.
    var line: [UInt8] {
        var bytes = json.serializedBytes()
        bytes.append(0x0A)
        return bytes
    }

    /// Parses one record; unknown keys and unknown kinds are accepted, a newer `v` is not.
    ///
    /// - Throws: ``MemoryError/invalidRecord(_:)`` naming the missing or mistyped field.
    public init(json: JSONValue) throws(MemoryError) {
        guard case .object(let object) = json else { throw .invalidRecord("not a JSON object") }
        guard let version = object["v"]?.intValue else { throw .invalidRecord("\"v\" missing or not an integer") }
        guard version == Self.version else {
            throw .invalidRecord("record version \(version), this raaid reads version \(Self.version)")
        }
        func string(_ key: String) throws(MemoryError) -> String {
            guard let value = object[key]?.stringValue else {
                throw .invalidRecord("\"\(key)\" missing or not a string")
            }
            return value
        }
        func optionalString(_ key: String) throws(MemoryError) -> String? {
            switch object[key] {
            case .none, .null?: return nil
            case .string(let value)?: return value
            default: throw .invalidRecord("\"\(key)\" is neither a string nor null")
            }
        }
        let id = try string("id")
        guard !id.isEmpty else { throw .invalidRecord("\"id\" is empty") }
        let scopeName = try string("scope")
        guard let scope = MemoryScope(rawValue: scopeName) else {
            throw .invalidRecord("unknown scope \"\(scopeName)\"")
        }
        guard let data = object["data"]?.objectValue else { throw .invalidRecord("\"data\" missing or not an object") }
        self.init(
            id: id, kind: MemoryKind(try string("kind")), time: try string("time"), run: try optionalString("run"),
            session: try string("session"), phase: try optionalString("phase"), scope: scope, data: data)
    }
}
