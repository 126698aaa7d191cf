/// Raw DEFLATE (RFC 1951) in pure Swift: a deterministic encoder (LZ77 with hash chains, one
/// dynamic-Huffman block per 64 KiB of input) and the decoder that ``Gzip`` uses.
///
/// The encoder exists so that `iamsim catalog update` and `iamsim policies update` can rebuild the data
/// compiled into iamsim without any tool but iamsim; the same input always gives the same bytes.
public enum Deflate {
  /// Decompresses raw DEFLATE data.
  ///
  /// - Parameter limit: the largest output accepted.
  /// - Throws: ``Gzip/DecodingError`` for corrupt data or output over `limit`.
  public static func decompress(_ bytes: [UInt8], limit: Int = 256 * 1024 * 1024) throws(Gzip.DecodingError) -> [UInt8] {
    var output: [UInt8] = []
    var inflater = Inflater(input: bytes, position: 0, limit: limit)
    try inflater.inflate(into: &output)
    return output
  }

  /// Compresses bytes as raw DEFLATE data.
  ///
  /// - Complexity: O(n · c) for n bytes and a hash chain of at most c = 256 candidates.
  public static func compress(_ bytes: [UInt8]) -> [UInt8] {
    var writer = BitWriter()
    let symbols = lz77(bytes)
    if symbols.isEmpty {
      // One final fixed-Huffman block holding only the end-of-block code.
      writer.write(1, 1)
      writer.write(1, 2)
      writer.write(0, 7)
      return writer.finish()
    }
    var start = 0
    let blockSymbols = 32 * 1024
    while start < symbols.count {
      let end = min(start + blockSymbols, symbols.count)
      writeDynamicBlock(symbols[start..<end], last: end == symbols.count, to: &writer)
      start = end
    }
    return writer.finish()
  }

  /// A literal (`distance == 0`, `value` is the byte) or a match (`value` is its length).
  struct Symbol {
    var value: UInt16
    var distance: UInt16
  }

  static func lz77(_ bytes: [UInt8]) -> [Symbol] {
    let count = bytes.count
    var symbols: [Symbol] = []
    symbols.reserveCapacity(count / 3)
    let hashBits = 15
    let windowSize = 32768
    var head = [Int32](repeating: -1, count: 1 << hashBits)
    var previous = [Int32](repeating: -1, count: windowSize)
    return bytes.withUnsafeBufferPointer { input -> [Symbol] in
      func hash(_ position: Int) -> Int {
        let value = Int(input[position]) << 16 | Int(input[position + 1]) << 8 | Int(input[position + 2])
        return (value &* 2_654_435_761 >> 17) & ((1 << hashBits) - 1)
      }
      func insert(_ position: Int) {
        guard position + 2 < count else { return }
        let key = hash(position)
        previous[position & (windowSize - 1)] = head[key]
        head[key] = Int32(position)
      }
      var position = 0
      while position < count {
        var bestLength = 0
        var bestDistance = 0
        if position + 2 < count {
          var candidate = Int(head[hash(position)])
          var chain = 256
          let maximum = min(258, count - position)
          while candidate >= 0 && position - candidate <= windowSize - 1 && chain > 0 {
            if input[candidate + bestLength] == input[position + bestLength] {
              var length = 0
              while length < maximum && input[candidate + length] == input[position + length] { length += 1 }
              if length > bestLength {
                bestLength = length
                bestDistance = position - candidate
                if length == maximum { break }
              }
            }
            let next = Int(previous[candidate & (windowSize - 1)])
            if next >= candidate { break }
            candidate = next
            chain -= 1
          }
        }
        if bestLength >= 3 {
          symbols.append(Symbol(value: UInt16(bestLength), distance: UInt16(bestDistance)))
          for offset in 0..<bestLength { insert(position + offset) }
          position += bestLength
        } else {
          symbols.append(Symbol(value: UInt16(input[position]), distance: 0))
          insert(position)
          position += 1
        }
      }
      return symbols
    }
  }

  static func lengthCode(_ length: Int) -> Int {
    var index = Inflater.lengthBase.count - 1
    while Inflater.lengthBase[index] > length { index -= 1 }
    return index
  }

  static func distanceCode(_ distance: Int) -> Int {
    var index = Inflater.distanceBase.count - 1
    while Inflater.distanceBase[index] > distance { index -= 1 }
    return index
  }

  static func writeDynamicBlock(_ symbols: ArraySlice<Symbol>, last: Bool, to writer: inout BitWriter) {
    var literalFrequencies = [Int](repeating: 0, count: 286)
    var distanceFrequencies = [Int](repeating: 0, count: 30)
    for symbol in symbols {
      if symbol.distance == 0 {
        literalFrequencies[Int(symbol.value)] += 1
      } else {
        literalFrequencies[257 + lengthCode(Int(symbol.value))] += 1
        distanceFrequencies[distanceCode(Int(symbol.distance))] += 1
      }
    }
    literalFrequencies[256] = 1
    if distanceFrequencies.allSatisfy({ $0 == 0 }) { distanceFrequencies[0] = 1 }
    let literalLengths = codeLengths(literalFrequencies, limit: 15)
    let distanceLengths = codeLengths(distanceFrequencies, limit: 15)
    var literalCount = 286
    while literalCount > 257 && literalLengths[literalCount - 1] == 0 { literalCount -= 1 }
    var distanceCount = 30
    while distanceCount > 1 && distanceLengths[distanceCount - 1] == 0 { distanceCount -= 1 }

    // Run-length encode the two length lists as one sequence (codes 16, 17 and 18).
    let all = Array(literalLengths[..<literalCount]) + Array(distanceLengths[..<distanceCount])
    var runs: [(symbol: Int, extra: Int, bits: Int)] = []
    var index = 0
    while index < all.count {
      let length = all[index]
      var run = 1
      while index + run < all.count && all[index + run] == length { run += 1 }
      var remaining = run
      if length == 0 {
        while remaining >= 11 {
          let take = min(remaining, 138)
          runs.append((18, take - 11, 7))
          remaining -= take
        }
        if remaining >= 3 {
          runs.append((17, remaining - 3, 3))
          remaining = 0
        }
      } else {
        runs.append((length, 0, 0))
        remaining -= 1
        while remaining >= 3 {
          let take = min(remaining, 6)
          runs.append((16, take - 3, 2))
          remaining -= take
        }
      }
      for _ in 0..<remaining { runs.append((length, 0, 0)) }
      index += run
    }
    var codeLengthFrequencies = [Int](repeating: 0, count: 19)
    for run in runs { codeLengthFrequencies[run.symbol] += 1 }
    let codeLengthLengths = codeLengths(codeLengthFrequencies, limit: 7)
    var codeLengthCount = 19
    while codeLengthCount > 4 && codeLengthLengths[Inflater.codeLengthOrder[codeLengthCount - 1]] == 0 { codeLengthCount -= 1 }

    writer.write(last ? 1 : 0, 1)
    writer.write(2, 2)
    writer.write(literalCount - 257, 5)
    writer.write(distanceCount - 1, 5)
    writer.write(codeLengthCount - 4, 4)
    for position in 0..<codeLengthCount { writer.write(codeLengthLengths[Inflater.codeLengthOrder[position]], 3) }
    let codeLengthCodes = canonicalCodes(codeLengthLengths)
    for run in runs {
      writer.writeCode(codeLengthCodes[run.symbol], codeLengthLengths[run.symbol])
      if run.bits > 0 { writer.write(run.extra, run.bits) }
    }
    let literalCodes = canonicalCodes(literalLengths)
    let distanceCodes = canonicalCodes(distanceLengths)
    for symbol in symbols {
      if symbol.distance == 0 {
        writer.writeCode(literalCodes[Int(symbol.value)], literalLengths[Int(symbol.value)])
      } else {
        let length = Int(symbol.value)
        let code = lengthCode(length)
        writer.writeCode(literalCodes[257 + code], literalLengths[257 + code])
        writer.write(length - Inflater.lengthBase[code], Inflater.lengthExtra[code])
        let distance = Int(symbol.distance)
        let distanceIndex = distanceCode(distance)
        writer.writeCode(distanceCodes[distanceIndex], distanceLengths[distanceIndex])
        writer.write(distance - Inflater.distanceBase[distanceIndex], Inflater.distanceExtra[distanceIndex])
      }
    }
    writer.writeCode(literalCodes[256], literalLengths[256])
  }

  /// Huffman code lengths for the frequencies, none longer than `limit`; deterministic (ties broken by symbol).
  static func codeLengths(_ frequencies: [Int], limit: Int) -> [Int] {
    var scaled = frequencies
    while true {
      let lengths = huffmanLengths(scaled)
      if (lengths.max() ?? 0) <= limit { return lengths }
      scaled = scaled.map { $0 == 0 ? 0 : max(1, $0 / 2) }
    }
  }

  static func huffmanLengths(_ frequencies: [Int]) -> [Int] {
    var lengths = [Int](repeating: 0, count: frequencies.count)
    let used = frequencies.indices.filter { frequencies[$0] > 0 }
    if used.isEmpty { return lengths }
    if used.count == 1 {
      lengths[used[0]] = 1
      return lengths
    }
    // Nodes: leaves are symbols, inner nodes get parents; a simple O(n²) merge is fine for ≤ 286 symbols.
    var weights = used.map { frequencies[$0] }
    var parents = [Int](repeating: -1, count: used.count)
    var active = Array(used.indices)
    var order = used.count
    while active.count > 1 {
      active.sort { weights[$0] != weights[$1] ? weights[$0] < weights[$1] : $0 < $1 }
      let first = active.removeFirst()
      let second = active.removeFirst()
      weights.append(weights[first] + weights[second])
      parents.append(-1)
      parents[first] = order
      parents[second] = order
      active.append(order)
      order += 1
    }
    for (leaf, symbol) in used.enumerated() {
      var depth = 0
      var node = leaf
      while parents[node] >= 0 {
        node = parents[node]
        depth += 1
      }
      lengths[symbol] = depth
    }
    return lengths
  }

  /// Canonical codes (RFC 1951 3.2.2) for the lengths.
  static func canonicalCodes(_ lengths: [Int]) -> [Int] {
    var counts = [Int](repeating: 0, count: 16)
    for length in lengths where length > 0 { counts[length] += 1 }
    var next = [Int](repeating: 0, count: 16)
    var code = 0
    for bits in 1..<16 {
      code = (code + counts[bits - 1]) << 1
      next[bits] = code
    }
    var codes = [Int](repeating: 0, count: lengths.count)
    for (symbol, length) in lengths.enumerated() where length > 0 {
      codes[symbol] = next[length]
      next[length] += 1
    }
    return codes
  }

  /// Writes bits least significant first, as DEFLATE packs them.
  struct BitWriter {
    var bytes: [UInt8] = []
    var buffer: UInt64 = 0
    var count = 0

    mutating func write(_ value: Int, _ bits: Int) {
      guard bits > 0 else { return }
      buffer |= UInt64(value) << UInt64(count)
      count += bits
      while count >= 8 {
        bytes.append(UInt8(truncatingIfNeeded: buffer))
        buffer >>= 8
        count -= 8
      }
    }

    /// A Huffman code, which DEFLATE stores most significant bit first.
    mutating func writeCode(_ code: Int, _ length: Int) {
      var reversed = 0
      for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
      write(reversed, length)
    }

    mutating func finish() -> [UInt8] {
      if count > 0 { bytes.append(UInt8(truncatingIfNeeded: buffer)) }
      buffer = 0
      count = 0
      return bytes
    }
  }
}
