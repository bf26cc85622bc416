// Double-quoted string literals for text the compiler prints and reads back: the IR printer's
// string attributes (which ir/Parser.cpp reads) and the AST dumper's string constants.
#pragma once

#include <string>
#include <string_view>

namespace tritonc {

/// Appends `s` to `out` between double quotes with C's escapes: \" \\ \n \t, and \xHH (two
/// lower-case hex digits) for every other control byte and DEL; with `escapeNonAscii`, for the
/// bytes >= 0x80 too, so the literal is plain ASCII. ir/Parser.cpp reads all of these back.
void appendQuoted(std::string &out, std::string_view s, bool escapeNonAscii);

} // namespace tritonc
