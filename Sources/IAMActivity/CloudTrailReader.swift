import IAMPolicy

/// Reads CloudTrail events from the JSON of `aws cloudtrail lookup-events` and from log files as CloudTrail
/// delivers them to S3 (`{"Records": [...]}`), gzipped or not.
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
      return records.compactMap { CloudTrailEvent.read($0, source: name) }
    }
    if let events = json["Events"]?.elements {
      var result: [CloudTrailEvent] = []
      for (index, event) in events.enumerated() {
        guard let embedded = event["CloudTrailEvent"]?.stringValue else {
          throw ReadError(file: name, message: "lookup-events entry \(index) has no `CloudTrailEvent` string", position: event.position)
        }
        let record: JSONValue
        do {
          record = try JSONReader().read(embedded)
        } catch {
          throw ReadError(file: name, message: "the `CloudTrailEvent` of entry \(index) is not JSON: \(error.message)", position: event.position)
        }
        if let parsed = CloudTrailEvent.read(record, source: name) { result.append(parsed) }
      }
      return result
    }
    throw ReadError(
      file: name, message: "not CloudTrail events: expected `Records` (a delivered log file) or `Events` (lookup-events output)",
      position: json.position)
  }
}
