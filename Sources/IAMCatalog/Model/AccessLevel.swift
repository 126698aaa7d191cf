/// The classic access level of an action: List, Read, Write, Permissions management or Tagging.
///
/// The Service Authorization Reference may give an action a level text that names two
/// levels, such as `Permissions management, Write`; the first one is the classic level.
public enum AccessLevel: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  case list = "List"
  case read = "Read"
  case write = "Write"
  case permissionsManagement = "Permissions management"
  case tagging = "Tagging"

  /// Reads the classic level from a level text, such as `.permissionsManagement` from
  /// `Permissions management, Write`; `nil` when the first level named is not a classic one.
  public init?(levelText: String) {
    let first = levelText.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    self.init(rawValue: String(first))
  }

  /// The level as AWS spells it, such as `Permissions management`.
  public var description: String { rawValue }
}
