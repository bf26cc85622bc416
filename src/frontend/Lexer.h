// The lexer: .tt source text -> tokens, following Python's tokenization rules.
//
// - Logical lines end with a Newline token; blank and comment-only lines produce nothing.
// - Indentation at the start of a logical line produces Indent/Dedent tokens. Indentation is
//   made of spaces: a tab there is an error ("tabs are not allowed in indentation"); a dedent to a
//   column that no enclosing block started at is an error.
// - Inside (), [] and {} newlines and indentation are ignored (implicit line joining); a `\` at the
//   end of a line joins it with the next. Unbalanced brackets are errors located at the bracket.
// - The token stream always ends with Newline (if the file has any tokens), the Dedents that close
//   the open blocks, then EndOfFile.
// - Columns are 1-based byte offsets into the line.
#pragma once

#include "frontend/Token.h"
#include "support/Diagnostics.h"

#include <vector>

namespace tritonc {

/// Splits file `fileId` of `sources` into tokens. On the first lexical error it reports it into
/// `diags` and throws CompilationAborted.
std::vector<Token> tokenize(const SourceManager &sources, uint32_t fileId, DiagnosticEngine &diags);

} // namespace tritonc
