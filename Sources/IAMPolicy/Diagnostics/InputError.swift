/// An input that cannot be used: its diagnostics hold at least one error.
///
/// Everything that reads files throws this; the CLI maps it to exit status 2.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Every problem found, sorted; at least one is an error.
  public var diagnostics: [Diagnostic]

  /// Creates an input error from the problems found.
  public init(_ diagnostics: [Diagnostic]) {
    self.diagnostics = diagnostics.sorted()
  }

  /// Creates an input error with one problem.
  public init(_ code: Diagnostic.Code, _ message: String, file: String? = nil, path: JSONPath = .root,
              position: SourcePosition? = nil) {
    self.init([Diagnostic(code, .error, message, file: file, path: path, position: position)])
  }

  /// The errors, one per line.
  public var description: String {
    diagnostics.filter { $0.severity == .error }.map(\.formatted).joined(separator: "\n")
  }
}
