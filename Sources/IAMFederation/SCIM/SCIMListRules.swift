import IAMPolicy

/// Rules for `emails`, `phoneNumbers`, `addresses` and `roles`: at most one element, supported sub-attributes only,
/// and a primary e-mail (S-2, S-3, S-4).
enum SCIMListRules {
  static func check(
    _ list: JSONValue, _ label: String, allowed: Set<String>, at pointer: [JSONPath.Component],
    _ context: inout SCIMContext
  ) {
    guard let elements = list.elements else {
      context.add(.scimAttributeType, "\(label) must be an array, not \(list.typeName)", at: pointer, list)
      return
    }
    if elements.count > 1 {
      context.add(
        .scimMultipleValues, "\(label) has \(elements.count) elements; identity center accepts at most one",
        at: pointer, list)
    }
    for (index, element) in elements.enumerated() {
      let elementPointer = pointer + [.index(index)]
      guard let elementMembers = element.members else {
        context.add(
          .scimAttributeType, "\(label)[\(index)] must be an object, not \(element.typeName)", at: elementPointer,
          element)
        continue
      }
      let members = elementMembers.filter { member in
        !SCIMValueRules.isUnassigned(
          member.value, "\(label)[\(index)].\(member.key)", at: elementPointer + [.key(member.key)], &context)
      }
      for member in members where !allowed.contains(member.key.lowercased()) {
        let why =
          member.key.lowercased() == "display"
          ? "the display sub-attribute is not supported" : "not a supported sub-attribute"
        context.add(
          .scimUnsupportedAttribute, "\(label)[\(index)].\(member.key): \(why)",
          at: elementPointer + [.key(member.key)], member.value)
      }
      if let primary = element.value("primary"), primary.kind != .null, primary.boolValue == nil {
        context.add(
          .scimAttributeType, "\(label)[\(index)].primary must be a boolean", at: elementPointer + [.key("primary")],
          primary)
      }
      if label.lowercased() == "addresses" {
        for member in members where member.key.lowercased() != "primary" {
          if let text = SCIMValueRules.string(
            member.value, "\(label)[\(index)].\(member.key)", at: elementPointer + [.key(member.key)], &context)
          {
            SCIMValueRules.text(
              text, "\(label)[\(index)].\(member.key)", at: elementPointer + [.key(member.key)], member.value, &context)
          }
        }
      }
    }
    if label.lowercased() == "emails", elements.count == 1, let email = elements.first, email.members != nil,
      email.value("primary")?.boolValue != true
    {
      context.add(
        .scimEmailNotPrimary, "the e-mail address must be marked \"primary\": true", at: pointer + [.index(0)], email)
    }
  }
}
