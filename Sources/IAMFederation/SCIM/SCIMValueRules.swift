import IAMPolicy

/// Type, length and character rules for SCIM attribute values (S-1, S-4, S-5).
enum SCIMValueRules {
  static let maximumTextLength = 1024
  static let maximumUserNameLength = 128
  /// Names the identity store reserves for users and groups (compared without regard to case here; AWS does not say).
  static let reservedNames: Set<String> = ["administrator", "awsadministrators"]

  /// Whether `value` is `null`, which is taken as unassigned, with a note saying so.
  ///
  /// RFC 7643 §2.5 makes `null` equivalent to unassigned, and Entra ID sends it; IAM Identity Center's SCIM
  /// documentation says nothing about `null` (its constraints list only required attributes, single values and
  /// characters), so an optional attribute that is `null` is checked as if it were absent. Required attributes
  /// that are `null` are reported by ``required(_:_:at:parent:code:_:)`` as missing.
  static func isUnassigned(
    _ value: JSONValue, _ label: String, at pointer: [JSONPath.Component], _ context: inout SCIMContext
  ) -> Bool {
    guard value.kind == .null else { return false }
    context.add(
      .scimNullValue,
      "\(label) is null, taken as unassigned: identity center's scim documentation says nothing about null, and "
        + "rfc 7643 section 2.5 makes null equivalent to unassigned", at: pointer, value)
    return true
  }

  /// The string at `value`, or a type finding when it is something else.
  static func string(
    _ value: JSONValue, _ label: String, at pointer: [JSONPath.Component], _ context: inout SCIMContext
  )
    -> String?
  {
    guard let text = value.stringValue else {
      context.add(.scimAttributeType, "\(label) must be a string, not \(value.typeName)", at: pointer, value)
      return nil
    }
    return text
  }

  /// Checks a required string: present, a string, not empty or only white space (S-1).
  static func required(
    _ value: JSONValue?, _ label: String, at pointer: [JSONPath.Component], parent: JSONValue,
    code: FindingCode = .scimRequiredAttribute, _ context: inout SCIMContext
  ) -> String? {
    guard let value, value.kind != .null else {
      context.add(code, "\(label) is required but missing", at: pointer, parent)
      return nil
    }
    guard let text = string(value, label, at: pointer, &context) else { return nil }
    if text.allSatisfy(\.isWhitespace) {
      context.add(code, "\(label) is required but empty", at: pointer, value)
      return nil
    }
    return text
  }

  /// Checks display names, name parts and other text: 1–1024 characters of letters, marks, symbols, numbers,
  /// punctuation, TAB, LF, CR, space, no-break space and ideographic space (S-5).
  static func text(
    _ text: String, _ label: String, at pointer: [JSONPath.Component], _ value: JSONValue, _ context: inout SCIMContext
  ) {
    let length = CharacterRules.length(text)
    if length == 0 || length > maximumTextLength {
      context.add(
        .scimLength, "\(label) has \(length) characters; the identity store accepts 1 to \(maximumTextLength)",
        at: pointer, value)
    }
    if let refused = CharacterRules.firstRefused(in: text, CharacterRules.isNameCharacter) {
      context.add(
        .scimCharacters, "\(label) contains \(CharacterRules.describe(refused)), which the identity store refuses",
        at: pointer, value)
    }
  }

  /// Checks a user name: 1–128 letters, accented characters, symbols, numbers and punctuation; not reserved;
  /// and, for SAML sign-in, an e-mail address without Entra's guest marker (S-5, S-10, S-11).
  static func userName(
    _ text: String, at pointer: [JSONPath.Component], _ value: JSONValue, _ context: inout SCIMContext
  ) {
    let length = CharacterRules.length(text)
    if length > maximumUserNameLength {
      context.add(
        .scimLength, "userName has \(length) characters; the limit is \(maximumUserNameLength)", at: pointer, value)
    }
    let refused = text.unicodeScalars.filter { !CharacterRules.isVisibleCharacter($0) }
    if let blank = refused.first(where: { $0 == " " || $0 == "\u{00A0}" }),
      refused.allSatisfy({ $0 == " " || $0 == "\u{00A0}" })
    {
      context.add(
        .scimCharacters,
        "userName contains \(CharacterRules.describe(blank)); CreateUser's rules exclude spaces, PutUser's allow them",
        at: pointer, value, severity: .warning)
    } else if let first = refused.first(where: { $0 != " " && $0 != "\u{00A0}" }) {
      context.add(
        .scimCharacters, "userName contains \(CharacterRules.describe(first)), which the identity store refuses",
        at: pointer, value)
    }
    reserved(text, "userName", at: pointer, value, &context)
    if text.contains("#EXT#") {
      context.add(
        .scimGuestUser,
        "userName \(text) is an entra guest upn; identity center sign-in does not expect the #EXT# form (map user.mail for guests)",
        at: pointer, value)
    } else if !CharacterRules.looksLikeEmailAddress(text) {
      context.add(
        .scimUserNameNotEmail,
        "userName \(text) is not an e-mail address, so no saml NameID in e-mail format can match it",
        at: pointer, value)
    }
  }

  /// Refuses the reserved names `Administrator` and `AWSAdministrators` (S-5).
  static func reserved(
    _ text: String, _ label: String, at pointer: [JSONPath.Component], _ value: JSONValue, _ context: inout SCIMContext
  ) {
    if reservedNames.contains(text.lowercased()) {
      context.add(.scimReservedName, "\(label) \(text) is a name the identity store reserves", at: pointer, value)
    }
  }
}
