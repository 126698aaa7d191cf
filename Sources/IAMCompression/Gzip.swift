/// Decompresses gzip files (RFC 1952) holding DEFLATE data (RFC 1951), in pure Swift.
///
/// CloudTrail delivers its log files to S3 as `.json.gz`; Foundation on Linux cannot read them.
/// The output is capped, so a small hostile file cannot expand into gigabytes.
public enum Gzip {
  /// Why a gzip file cannot be read.
  public struct DecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    public var description: String { message }
  }

  /// Whether bytes start with the gzip magic number.
  public static func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
  }

  /// Decompresses every member of a gzip file.
  ///
  /// - Parameter limit: the largest output accepted.
  /// - Throws: ``DecodingError`` for a corrupt file, a bad checksum or output over `limit`.
  public static func decompress(_ bytes: [UInt8], limit: Int = 256 * 1024 * 1024) throws(DecodingError) -> [UInt8] {
    var output: [UInt8] = []
    var offset = 0
    while offset < bytes.count {
      guard bytes.count - offset >= 18, bytes[offset] == 0x1F, bytes[offset + 1] == 0x8B else {
        if offset > 0 && bytes[offset...].allSatisfy({ $0 == 0 }) { break }
        throw DecodingError(message: offset == 0 ? "not a gzip file" : "trailing data after the gzip member")
      }
      guard bytes[offset + 2] == 8 else { throw DecodingError(message: "unsupported gzip compression method") }
      let flags = bytes[offset + 3]
      var position = offset + 10
      if flags & 0x04 != 0 {
        guard position + 2 <= bytes.count else { throw DecodingError(message: "truncated gzip header") }
        position += 2 + Int(bytes[position]) + Int(bytes[position + 1]) << 8
      }
      for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {
        while position < bytes.count && bytes[position] != 0 { position += 1 }
        position += 1
      }
      if flags & 0x02 != 0 { position += 2 }
      guard position < bytes.count else { throw DecodingError(message: "truncated gzip header") }
      let start = output.count
      var inflater = Inflater(input: bytes, position: position, limit: limit)
      try inflater.inflate(into: &output)
      position = inflater.nextByteOffset
      guard position + 8 <= bytes.count else { throw DecodingError(message: "truncated gzip trailer") }
      let crc = readLittleEndian32(bytes, position)
      let size = readLittleEndian32(bytes, position + 4)
      guard CRC32.checksum(output[start...]) == crc else { throw DecodingError(message: "gzip checksum mismatch") }
      guard UInt32(truncatingIfNeeded: output.count - start) == size else { throw DecodingError(message: "gzip size mismatch") }
      offset = position + 8
    }
    return output
  }

  static func readLittleEndian32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
  }
}

/// The CRC-32 of RFC 1952.
public enum CRC32 {
  static let table: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
    return value
  }

  public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }
}

/// A DEFLATE decoder: stored, fixed-Huffman and dynamic-Huffman blocks.
struct Inflater {
  let input: [UInt8]
  var position: Int
  var bitBuffer: UInt32 = 0
  var bitCount = 0
  let limit: Int

  init(input: [UInt8], position: Int, limit: Int) {
    self.input = input
    self.position = position
    self.limit = limit
  }

  /// The offset of the first byte after the compressed data (bits of a partial byte are dropped).
  var nextByteOffset: Int { position - bitCount / 8 }

  mutating func bits(_ count: Int) throws(Gzip.DecodingError) -> Int {
    while bitCount < count {
      guard position < input.count else { throw Gzip.DecodingError(message: "truncated deflate data") }
      bitBuffer |= UInt32(input[position]) << UInt32(bitCount)
      position += 1
      bitCount += 8
    }
    let value = Int(bitBuffer & ((1 << UInt32(count)) - 1))
    bitBuffer >>= UInt32(count)
    bitCount -= count
    return value
  }

  /// A canonical Huffman code: symbol counts per length and symbols in code order, and a lookup table
  /// indexed by the next `maximumLength` bits of input (as read, least significant first).
  struct Huffman {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int] = []
    /// `symbol << 4 | length`, or 0 where no code starts with those bits.
    var table: [UInt16] = []
    var maximumLength = 0

    init(lengths: [Int]) throws(Gzip.DecodingError) {
      defer { buildTable(lengths) }
      for length in lengths { counts[length] += 1 }
      counts[0] = 0
      var offsets = [Int](repeating: 0, count: 16)
      for length in 1..<16 { offsets[length] = offsets[length - 1] + counts[length - 1] }
      symbols = [Int](repeating: 0, count: lengths.count)
      for (symbol, length) in lengths.enumerated() where length != 0 {
        symbols[offsets[length]] = symbol
        offsets[length] += 1
      }
    }
  }

  mutating func decode(_ huffman: Huffman) throws(Gzip.DecodingError) -> Int {
    if bitCount < huffman.maximumLength {
      while bitCount <= 24 && position < input.count {
        bitBuffer |= UInt32(input[position]) << UInt32(bitCount)
        position += 1
        bitCount += 8
      }
    }
    if bitCount >= huffman.maximumLength && huffman.maximumLength > 0 {
      let entry = Int(huffman.table[Int(bitBuffer & ((1 << UInt32(huffman.maximumLength)) - 1))])
      let length = entry & 15
      guard length != 0 else { throw Gzip.DecodingError(message: "invalid Huffman code in deflate data") }
      bitBuffer >>= UInt32(length)
      bitCount -= length
      return entry >> 4
    }
    return try decodeBitByBit(huffman)
  }

  /// Decodes one bit at a time, near the end of the input where the table's lookahead is not there.
  mutating func decodeBitByBit(_ huffman: Huffman) throws(Gzip.DecodingError) -> Int {
    var code = 0
    var first = 0
    var index = 0
    for length in 1..<16 {
      code |= try bits(1)
      let count = huffman.counts[length]
      if code - count < first { return huffman.symbols[index + (code - first)] }
      index += count
      first = (first + count) << 1
      code <<= 1
    }
    throw Gzip.DecodingError(message: "invalid Huffman code in deflate data")
  }

  static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
  static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
  static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
  static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
  static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

  mutating func inflate(into output: inout [UInt8]) throws(Gzip.DecodingError) {
    var last = false
    while !last {
      last = try bits(1) == 1
      switch try bits(2) {
      case 0: try stored(into: &output)
      case 1:
        let literal = try Huffman(lengths: (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 })
        let distance = try Huffman(lengths: [Int](repeating: 5, count: 30))
        try codes(literal, distance, into: &output)
      case 2:
        let (literal, distance) = try dynamicTables()
        try codes(literal, distance, into: &output)
      default:
        throw Gzip.DecodingError(message: "invalid deflate block type")
      }
    }
  }

  mutating func stored(into output: inout [UInt8]) throws(Gzip.DecodingError) {
    // Whole bytes read ahead into the bit buffer are given back; the partial byte is dropped.
    position -= bitCount / 8
    bitBuffer = 0
    bitCount = 0
    guard position + 4 <= input.count else { throw Gzip.DecodingError(message: "truncated stored block") }
    let length = Int(input[position]) | Int(input[position + 1]) << 8
    let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
    guard length == ~complement & 0xFFFF else { throw Gzip.DecodingError(message: "corrupt stored block length") }
    position += 4
    guard position + length <= input.count else { throw Gzip.DecodingError(message: "truncated stored block") }
    guard output.count + length <= limit else { throw Gzip.DecodingError(message: "decompressed data exceeds the limit") }
    output.append(contentsOf: input[position..<position + length])
    position += length
  }

  mutating func dynamicTables() throws(Gzip.DecodingError) -> (Huffman, Huffman) {
    let literalCount = try bits(5) + 257
    let distanceCount = try bits(5) + 1
    let codeLengthCount = try bits(4) + 4
    guard literalCount <= 286, distanceCount <= 30 else { throw Gzip.DecodingError(message: "invalid deflate table sizes") }
    var codeLengths = [Int](repeating: 0, count: 19)
    for index in 0..<codeLengthCount { codeLengths[Inflater.codeLengthOrder[index]] = try bits(3) }
    let codeLengthCode = try Huffman(lengths: codeLengths)
    var lengths: [Int] = []
    while lengths.count < literalCount + distanceCount {
      let symbol = try decode(codeLengthCode)
      switch symbol {
      case 0...15: lengths.append(symbol)
      case 16:
        guard let previous = lengths.last else { throw Gzip.DecodingError(message: "invalid deflate length repeat") }
        lengths += [Int](repeating: previous, count: 3 + (try bits(2)))
      case 17: lengths += [Int](repeating: 0, count: 3 + (try bits(3)))
      default: lengths += [Int](repeating: 0, count: 11 + (try bits(7)))
      }
    }
    guard lengths.count == literalCount + distanceCount else { throw Gzip.DecodingError(message: "invalid deflate code lengths") }
    return (try Huffman(lengths: Array(lengths[..<literalCount])), try Huffman(lengths: Array(lengths[literalCount...])))
  }

  mutating func codes(_ literal: Huffman, _ distance: Huffman, into output: inout [UInt8]) throws(Gzip.DecodingError) {
    while true {
      let symbol = try decode(literal)
      if symbol < 256 {
        guard output.count < limit else { throw Gzip.DecodingError(message: "decompressed data exceeds the limit") }
        output.append(UInt8(symbol))
        continue
      }
      if symbol == 256 { return }
      let lengthIndex = symbol - 257
      guard lengthIndex < Inflater.lengthBase.count else { throw Gzip.DecodingError(message: "invalid deflate length code") }
      let length = Inflater.lengthBase[lengthIndex] + (try bits(Inflater.lengthExtra[lengthIndex]))
      let distanceIndex = try decode(distance)
      guard distanceIndex < Inflater.distanceBase.count else { throw Gzip.DecodingError(message: "invalid deflate distance code") }
      let back = Inflater.distanceBase[distanceIndex] + (try bits(Inflater.distanceExtra[distanceIndex]))
      guard back <= output.count else { throw Gzip.DecodingError(message: "deflate distance reaches before the start") }
      guard output.count + length <= limit else { throw Gzip.DecodingError(message: "decompressed data exceeds the limit") }
      let start = output.count - back
      for offset in 0..<length { output.append(output[start + offset]) }
    }
  }
}

extension Inflater.Huffman {
  mutating func buildTable(_ lengths: [Int]) {
    maximumLength = lengths.max() ?? 0
    guard maximumLength > 0 && maximumLength < 16 else {
      maximumLength = 0
      return
    }
    table = [UInt16](repeating: 0, count: 1 << maximumLength)
    var next = [Int](repeating: 0, count: 16)
    var code = 0
    for bits in 1..<16 {
      code = (code + (bits == 1 ? 0 : counts[bits - 1])) << 1
      next[bits] = code
    }
    for (symbol, length) in lengths.enumerated() where length > 0 {
      let value = next[length]
      next[length] += 1
      guard value < 1 << length else { continue }  // over-subscribed: left to the bit-by-bit decoder's error
      var reversed = 0
      for bit in 0..<length where value & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
      let entry = UInt16(symbol << 4 | length)
      var index = reversed
      while index < table.count {
        table[index] = entry
        index += 1 << length
      }
    }
  }
}
