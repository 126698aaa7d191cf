/// Splits a command line into words as Python's `shlex.split` does in POSIX mode, which the AWS CLI applies to
/// `credential_process`: spaces separate words, single quotes keep everything, double quotes keep everything but
/// `\\` before `"`, `\\`, `$` and a backquote, and an unquoted backslash escapes the next character.
enum ShellWords {
  static func split(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var iterator = Array(line).makeIterator()
    var quote: Character?
    while let character = iterator.next() {
      if let open = quote {
        if character == open {
          quote = nil
        } else if open == "\"", character == "\\" {
          if let next = iterator.next() {
            if !["\"", "\\", "$", "`"].contains(next) { current.append("\\") }
            current.append(next)
          }
        } else {
          current.append(character)
        }
      } else if character == " " || character == "\t" || character == "\n" {
        if inWord {
          words.append(current)
          current = ""
          inWord = false
        }
      } else if character == "'" || character == "\"" {
        quote = character
        inWord = true
      } else if character == "\\" {
        if let next = iterator.next() { current.append(next) }
        inWord = true
      } else {
        current.append(character)
        inWord = true
      }
    }
    if inWord { words.append(current) }
    return words
  }
}
