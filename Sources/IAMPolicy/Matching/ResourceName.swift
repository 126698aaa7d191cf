/// A request's resource (an ARN, or `*`), split once so that many patterns can test it cheaply.
public struct ResourceName: Sendable, Hashable, CustomStringConvertible {
  /// The resource as given.
  public let text: String
  /// Its UTF-8 bytes.
  @usableFromInline let bytes: [UInt8]
  /// The byte offsets of the first five colons; fewer when it is not an ARN.
  @usableFromInline let colons: [Int]

  /// Splits a resource name.
  public init(_ text: String) {
    self.text = text
    bytes = Array(text.utf8)
    var colons: [Int] = []
    for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: ":") {
      colons.append(offset)
      if colons.count == 5 { break }
    }
    self.colons = colons
  }

  /// Whether the name has the six parts of an ARN and starts with `arn:`.
  public var isARN: Bool { colons.count == 5 && bytes.starts(with: Array("arn:".utf8)) }

  /// The account part, when the name is an ARN.
  public var account: String? {
    guard isARN else { return nil }
    return String(decoding: bytes[(colons[3] + 1)..<colons[4]], as: UTF8.self)
  }

  /// The byte range of part `index` (0 = `arn`, 5 = the resource part).
  @usableFromInline func partRange(_ index: Int) -> Range<Int> {
    let start = index == 0 ? 0 : colons[index - 1] + 1
    let end = index == 5 ? bytes.count : colons[index]
    return start..<end
  }

  public var description: String { text }
}
