/// The outcome of one condition for one request.
enum ConditionResult: Sendable, Hashable {
  case holds
  case fails
  /// The request's value cannot be read by the operator; the statement fails closed.
  case unreadable(String)
}
