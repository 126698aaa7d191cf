import IAMPolicy

/// Output built as UTF-8 bytes and handed on in blocks of about a megabyte, so that a command that prints
/// millions of lines holds one block, not the whole text.
struct ChunkedOutput {
  static let blockSize = 1 << 20

  private let sink: (String) -> Void
  private(set) var bytes: [UInt8] = []

  private init(_ sink: @escaping (String) -> Void) {
    self.sink = sink
    bytes.reserveCapacity(Self.blockSize + 4096)
  }

  /// Runs `body` with an output that hands its blocks to `sink`, and hands on the rest when `body` returns.
  static func writing(to sink: (String) -> Void, _ body: (inout ChunkedOutput) throws -> Void) rethrows {
    try withoutActuallyEscaping(sink) { sink in
      var output = ChunkedOutput(sink)
      try body(&output)
      output.flush()
    }
  }

  mutating func write(_ text: String) {
    // The contiguous UTF-8 at once (the generic append goes byte by byte).
    text.withUTF8InPlace { bytes.append(contentsOf: $0) }
    if bytes.count >= Self.blockSize { flush() }
  }

  /// Appends what `body` appends to the bytes (UTF-8), handing the block on after it when it is full.
  mutating func append(_ body: (inout [UInt8]) -> Void) {
    body(&bytes)
    if bytes.count >= Self.blockSize { flush() }
  }

  /// Appends a JSON value rendered as `JSONOutput.rendered(pretty: true)` renders it at nesting depth `indent`.
  mutating func write(_ value: JSONOutput, indent: Int) {
    value.render(appendingTo: &bytes, pretty: true, indent: indent)
    if bytes.count >= Self.blockSize { flush() }
  }

  /// Hands on what is buffered.
  private mutating func flush() {
    guard !bytes.isEmpty else { return }
    sink(String(decoding: bytes, as: UTF8.self))
    bytes.removeAll(keepingCapacity: true)
  }
}
