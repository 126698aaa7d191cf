import IAMPolicy

/// Reads CloudTrail events from the JSON of `aws cloudtrail lookup-events`, from log files as CloudTrail delivers
/// them to S3 (`{"Records": [...]}`), and from a bare JSON array of records (as many tools save them), gzipped or
/// not.
public enum CloudTrailReader {
  /// Why a file cannot be read as CloudTrail events.
  public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let message: String
    public let position: SourcePosition?
    public var description: String { "\(file)\(position.map { ":\($0)" } ?? ""): \(message)" }
  }

  /// Reads every event of one file.
  ///
  /// - Parameters:
  ///   - bytes: the file's content, gzipped or not.
  ///   - name: the file's name, for messages.
  /// - Throws: ``ReadError`` when the file is not JSON, or an entry is neither a CloudTrail record nor a
  ///   lookup-events entry.
  public static func read(_ bytes: [UInt8], name: String) throws(ReadError) -> [CloudTrailEvent] {
    var text = bytes
    if Gzip.isGzip(bytes) {
      do {
        text = try Gzip.decompress(bytes, limit: 64 * 1024 * 1024)
      } catch {
        throw ReadError(file: name, message: "cannot decompress: \(error.message)", position: nil)
      }
    }
    let json: JSONValue
    do {
      json = try JSONReader().read(text)
    } catch {
      throw ReadError(file: name, message: error.message, position: error.position)
    }
    if let records = json["Records"]?.elements {
      return try entries(records, name: name, what: "`Records`")
    }
    if let events = json["Events"]?.elements {
      return try entries(events, name: name, what: "`Events`")
    }
    if let elements = json.elements {
      return try entries(elements, name: name, what: "the array")
    }
    throw ReadError(
      file: name,
      message: "not CloudTrail events: expected `Records` (a delivered log file), `Events` (lookup-events output) or an array of records",
      position: json.position)
  }

  /// Each entry is a CloudTrail record, or a lookup-events entry whose `CloudTrailEvent` string holds one.
  private static func entries(_ entries: [JSONValue], name: String, what: String) throws(ReadError) -> [CloudTrailEvent] {
    var result: [CloudTrailEvent] = []
    result.reserveCapacity(entries.count)
    for (index, entry) in entries.enumerated() {
      if let embedded = entry["CloudTrailEvent"]?.stringValue {
        let record: JSONValue
        do {
          record = try JSONReader().read(embedded)
        } catch {
          throw ReadError(file: name, message: "the `CloudTrailEvent` of entry \(index) of \(what) is not JSON: \(error.message)",
                          position: entry.position)
        }
        guard let event = CloudTrailEvent.read(record, source: name) else {
          throw ReadError(file: name, message: "the `CloudTrailEvent` of entry \(index) of \(what) has no `eventSource` and `eventName`",
                          position: entry.position)
        }
        result.append(event)
      } else if let event = CloudTrailEvent.read(entry, source: name) {
        result.append(event)
      } else {
        throw ReadError(
          file: name,
          message: "entry \(index) of \(what) is not a CloudTrail record (no `eventSource` and `eventName`) nor a lookup-events entry (no `CloudTrailEvent`)",
          position: entry.position)
      }
    }
    return result
  }
}
