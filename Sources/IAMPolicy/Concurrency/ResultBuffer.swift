/// Results written by parallel workers, each to its own slot.
package final class ResultBuffer<Value>: @unchecked Sendable {
  private var storage: UnsafeMutablePointer<Value>
  package let count: Int

  package init(count: Int, initial: Value) {
    self.count = count
    storage = UnsafeMutablePointer<Value>.allocate(capacity: max(count, 1))
    storage.initialize(repeating: initial, count: count)
  }

  deinit {
    storage.deinitialize(count: count)
    storage.deallocate()
  }

  /// Slot `index`; each slot must be written by one worker only.
  package subscript(index: Int) -> Value {
    get { storage[index] }
    set { storage[index] = newValue }
  }

  /// Every slot, in order (after the workers are done).
  package var values: [Value] { (0..<count).map { storage[$0] } }
}
