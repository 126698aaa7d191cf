/// The compact catalog form: UTF-8 text, one record a line, fields separated by tabs.
///
/// ```
/// iamsim-catalog	1                        magic and format version
/// # ...                                     comments, anywhere
/// source	github.com/...                   header: source, commit, package-version, data-date,
/// services	455                            and the counts services, actions, resource-types,
/// ...                                       condition-keys, checked on load
/// S	prefix	name                          a service; the records below belong to it
/// A	name	level text	condition keys        an action, services and actions in lower-cased name order
/// r	resource type	*|-|?	condition keys     a resource type of the action above: required, not, unknown
/// R	resource type	ARN patterns	condition keys  a resource type of the service
/// K	condition key	types                    a condition key of the service
/// ```
///
/// Within a service the records come in the order A (each followed by its r), R, K. List
/// fields separate their elements with spaces (the writer uses one). Trailing empty fields may
/// be left out.
/// Escapes: `\\`, `\t`, `\n`, `\r`, and `\s` for a space inside a list element.
enum CatalogFormat {
  static let magic = "iamsim-catalog"
  static let version = "1"

  static let tab = UInt8(ascii: "\t")
  static let newline = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")
  static let space = UInt8(ascii: " ")
  static let backslash = UInt8(ascii: "\\")
  static let comment = UInt8(ascii: "#")

  static let serviceTag = UInt8(ascii: "S")
  static let actionTag = UInt8(ascii: "A")
  static let actionResourceTypeTag = UInt8(ascii: "r")
  static let resourceTypeTag = UInt8(ascii: "R")
  static let conditionKeyTag = UInt8(ascii: "K")

  static let required = UInt8(ascii: "*")
  static let notRequired = UInt8(ascii: "-")
  static let requiredUnknown = UInt8(ascii: "?")

  /// The header keys, in the order they are written.
  enum HeaderKey: String {
    case source
    case commit
    case packageVersion = "package-version"
    case dataDate = "data-date"
    case services
    case actions
    case resourceTypes = "resource-types"
    case conditionKeys = "condition-keys"
  }

  /// Appends a field's text with tabs, line breaks and backslashes escaped, and spaces too
  /// when `inList`.
  static func appendEscaped(_ text: String, inList: Bool, to output: inout String) {
    guard text.utf8.contains(where: { $0 == tab || $0 == newline || $0 == carriageReturn || $0 == backslash || (inList && $0 == space) })
    else {
      output += text
      return
    }
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": output += "\\\\"
      case "\t": output += "\\t"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case " " where inList: output += "\\s"
      default: output.unicodeScalars.append(scalar)
      }
    }
  }

  /// The bytes of an escaped text with its escapes replaced; an unknown escape is kept as written.
  static func unescape(_ text: some Collection<UInt8>) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(text.count)
    var pendingBackslash = false
    for byte in text {
      if pendingBackslash {
        output += unescaped(byte).map { [$0] } ?? [backslash, byte]
        pendingBackslash = false
      } else if byte == backslash {
        pendingBackslash = true
      } else {
        output.append(byte)
      }
    }
    if pendingBackslash { output.append(backslash) }
    return output
  }

  /// The byte an escape stands for: `t` for a tab and so on; `nil` for an unknown escape.
  static func unescaped(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "\\"): backslash
    case UInt8(ascii: "t"): tab
    case UInt8(ascii: "n"): newline
    case UInt8(ascii: "r"): carriageReturn
    case UInt8(ascii: "s"): space
    default: nil
    }
  }
}
