import IAMPolicy

/// A JSON source file as ``CatalogBuilder`` reads it: its text with long lines broken between
/// values, and the way back from positions in that text to positions in the file.
///
/// `JSONReader` finds a value's column by counting from the start of its line, which costs time
/// quadratic in the length of a line. Source data is often written on few, very long lines (the
/// iam-data pack has one service a line, up to half a megabyte; AWS's service reference files
/// are minified), so the builder adds a line break after a comma outside strings once a line
/// is long, where JSON allows whitespace, and maps positions back for its messages.
final class JSONDocument: Sendable {
  /// The file name for messages.
  let file: String
  private let original: [UInt8]
  /// The text the reader reads.
  let text: [UInt8]
  /// Where in `original` each line of `text` starts.
  private let lineStarts: [Int]

  /// Prepares a file's bytes for reading.
  ///
  /// - Complexity: O(n) in the length of `original`.
  init(file: String, bytes original: [UInt8], maximumLineLength: Int = 256) {
    self.file = file
    self.original = original
    var text: [UInt8] = []
    text.reserveCapacity(original.count + original.count / maximumLineLength + 1)
    var lineStarts = [0]
    var lineLength = 0
    var inString = false
    var escaped = false
    for (offset, byte) in original.enumerated() {
      text.append(byte)
      lineLength += 1
      if byte == UInt8(ascii: "\n") {
        lineStarts.append(offset + 1)
        lineLength = 0
      } else if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
      } else if byte == UInt8(ascii: "\"") {
        inString = true
      } else if byte == UInt8(ascii: ","), lineLength >= maximumLineLength {
        text.append(UInt8(ascii: "\n"))
        lineStarts.append(offset + 1)
        lineLength = 0
      }
    }
    self.text = text
    self.lineStarts = lineStarts
  }

  /// The position in the file of a position in ``text``.
  ///
  /// - Complexity: O(n) in the length of the file; used for error messages only.
  func originalPosition(of position: SourcePosition) -> SourcePosition {
    guard position.line >= 1 && position.line <= lineStarts.count else { return position }
    var offset = lineStarts[position.line - 1]
    for _ in 1..<max(position.column, 1) where offset < original.count {
      offset += 1
      while offset < original.count && original[offset] & 0xC0 == 0x80 { offset += 1 }
    }
    var line = 1
    var column = 1
    for byte in original[..<min(offset, original.count)] {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return SourcePosition(line: line, column: column)
  }
}
