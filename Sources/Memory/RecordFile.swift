/// The parsed contents of one `records.jsonl`: every complete line, classified, and the torn tail if any.
struct RecordFile {
    /// One newline-terminated line.
    struct Line {
        /// 1-based line number.
        var number: Int
        /// The line's bytes in ``RecordFile/bytes``, without the `\n`.
        var range: Range<Int>
        /// The record, when the line holds a valid one.
        var record: MemoryRecord?
        /// Why the line is not a record; `nil` for records and for blank lines.
        var problem: String?
    }

    /// The file's bytes.
    let bytes: [UInt8]
    /// The complete lines in file order.
    private(set) var lines: [Line] = []
    /// Bytes after the last `\n`: a write that was interrupted before its newline.
    private(set) var tornTail: Range<Int>?

    /// Splits and parses `bytes`.
    init(bytes: [UInt8]) {
        self.bytes = bytes
        var start = 0
        var number = 1
        while start < bytes.count {
            guard let newline = bytes[start...].firstIndex(of: 0x0A) else {
                tornTail = start..<bytes.count
                break
            }
            lines.append(Self.parseLine(bytes, start..<newline, number: number))
            start = newline + 1
            number += 1
        }
    }

    private static func parseLine(_ bytes: [UInt8], _ range: Range<Int>, number: Int) -> Line {
        let slice = bytes[range]
        if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            return Line(number: number, range: range, record: nil, problem: nil)
        }
        do {
            let value = try JSONValue.parse(bytes: slice)
            return Line(number: number, range: range, record: try MemoryRecord(json: value), problem: nil)
        } catch let error as JSONParseError {
            return Line(number: number, range: range, record: nil, problem: error.description)
        } catch let error as MemoryError {
            if case .invalidRecord(let reason) = error {
                return Line(number: number, range: range, record: nil, problem: reason)
            }
            return Line(number: number, range: range, record: nil, problem: error.description)
        } catch {
            return Line(number: number, range: range, record: nil, problem: "\(error)")
        }
    }

    /// The line number the torn tail would have had.
    var tornLineNumber: Int { lines.count + 1 }

    /// Warnings for corrupted lines and the torn tail; `corruptedAction` says what happens to corrupted lines.
    func warnings(file: String, corruptedAction: String = "kept in place, skipped on read") -> [MemoryWarning] {
        var warnings = lines.compactMap { line -> MemoryWarning? in
            guard let problem = line.problem else { return nil }
            return MemoryWarning(
                file: file, line: line.number,
                message: "corrupted record (\(problem)); \(corruptedAction)")
        }
        if let tornTail {
            warnings.append(
                MemoryWarning(
                    file: file, line: tornLineNumber,
                    message: "torn last line (\(tornTail.count) bytes without a trailing newline, from an "
                        + "interrupted write); skipped on read, moved to quarantine/ on the next write"))
        }
        return warnings
    }

    /// For each id, the index in ``lines`` of its last (latest written) line.
    var lastLineByID: [String: Int] {
        var last: [String: Int] = [:]
        for (index, line) in lines.enumerated() {
            if let record = line.record { last[record.id] = index }
        }
        return last
    }

    /// The latest version of each record, ordered by the position of that version.
    var latestRecords: [MemoryRecord] {
        let last = lastLineByID
        return lines.indices.compactMap { index in
            guard let record = lines[index].record, last[record.id] == index else { return nil }
            return record
        }
    }
}
