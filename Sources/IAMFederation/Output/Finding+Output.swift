import IAMPolicy

extension Finding {
  /// The finding as one line: `file:line:column: severity rule code subject pointer: message (aws: "…")`.
  public var text: String {
    let place = [location?.file, location?.position?.description].compactMap { $0 }.joined(separator: ":")
    let about = [subject, location?.jsonPointer].compactMap { $0 }.joined(separator: " ")
    var line = (place.isEmpty ? "" : place + ": ") + "\(severity.rawValue) \(rule) \(code.rawValue)"
    line += (about.isEmpty ? "" : " " + about) + ": " + message
    if let awsMessage { line += " (aws: \"\(awsMessage)\")" }
    return line
  }

  /// The finding as a JSON object with stable member order; absent parts are left out.
  public var jsonOutput: JSONOutput {
    var members: [(String, JSONOutput)] = [
      ("code", .string(code.rawValue)), ("rule", .string(rule)), ("severity", .string(severity.rawValue)),
      ("message", .string(message)),
    ]
    if let awsMessage { members.append(("awsMessage", .string(awsMessage))) }
    if let subject { members.append(("subject", .string(subject))) }
    if let file = location?.file { members.append(("file", .string(file))) }
    if let pointer = location?.jsonPointer { members.append(("jsonPointer", .string(pointer))) }
    if let path = location?.jsonPath { members.append(("jsonPath", .string(path.description))) }
    if let position = location?.position {
      members += [("line", .int(position.line)), ("column", .int(position.column))]
    }
    return .object(members)
  }
}

extension SessionTag {
  var jsonOutput: JSONOutput { .object([("key", .string(key)), ("value", .string(value))]) }
}

extension ContextEntry {
  var jsonOutput: JSONOutput {
    .object([
      ("key", .string(key)),
      ("value", isMultivalued ? .array(values.map(JSONOutput.string)) : .string(values.first ?? "")),
    ])
  }

  var text: String {
    key + " = " + (isMultivalued ? "[" + values.joined(separator: ", ") + "]" : values.first ?? "")
  }
}
