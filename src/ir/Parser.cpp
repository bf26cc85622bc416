// Parser: IR text (as written by Printer.cpp) back into a Module.
//
// A hand-written recursive-descent parser over an on-demand lexer: tokens are lexed from the
// current offset when needed, so the few places that need more than one token of lookahead
// (an op's operand list vs. the next op's results, an attribute dictionary vs. a region) and
// the character-level shape syntax of `tensor<128x64xf16>` need no token buffer.
//
// Error handling: the first error is reported with its location in the IR file and parsing
// stops (CompilationAborted, caught in parseModule). Every input either parses or yields one
// diagnostic: integer and float literals are range-checked, nesting depth is bounded so that
// adversarial input cannot exhaust the stack, and nothing reaches the asserts of the IR API
// (pointers to blocks, blocks of blocks, slices of rank-0 layouts are rejected here).
//
// Scoping: value names are visible from their definition to the end of the enclosing block,
// including nested regions; an op's results become visible after its regions. Type rules and
// dominance beyond that are the Verifier's.
#include "ir/Parser.h"
#include "ir/Spelling.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace tritonc {

namespace {

enum class Tok : uint8_t {
  Eof,
  Ident,   // kernel, add, i32, tensor, true, loc, ...
  ValueId, // %name (text without '%')
  AtId,    // @name or @"name"
  HashId,  // #name
  Caret,
  Int,
  Float,
  String, // text is the decoded contents
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Less,
  Greater,
  Comma,
  Colon,
  Equal,
  Minus,
};

struct Token {
  Tok kind = Tok::Eof;
  size_t begin = 0, end = 0;
  std::string text;
};

// Bounds on recursion, far above anything a compiler produces.
constexpr unsigned kMaxRegionDepth = 200;
constexpr unsigned kMaxTypeDepth = 64;

using spelling::isDigit;
using spelling::isIdentChar;
using spelling::isIdentStart;
using spelling::plural;

bool allDigits(std::string_view s) {
  for (char c : s)
    if (!isDigit(c))
      return false;
  return !s.empty();
}

class IRParser {
public:
  IRParser(Context &ctx, SourceManager &sources, uint32_t fileId, DiagnosticEngine &diags)
      : ctx_(ctx), sources_(sources), fileId_(fileId), diags_(diags), file_(sources.file(fileId)),
        text_(file_.text) {}

  std::unique_ptr<Module> run() {
    module_ = std::make_unique<Module>(ctx_);
    try {
      for (;;) {
        const Token &t = peek();
        if (t.kind == Tok::Eof)
          break;
        if (t.kind == Tok::HashId)
          parseAliasDefinition();
        else if (t.kind == Tok::Ident && t.text == "kernel")
          parseKernel();
        else
          fail(t, "expected 'kernel' or a layout alias definition");
      }
    } catch (const CompilationAborted &) {
      return nullptr;
    }
    return std::move(module_);
  }

private:
  // ---------------------------------------------------------------------------------------
  // Locations and errors

  SourceLoc locAt(size_t offset) const {
    const std::vector<uint32_t> &starts = file_.lineStarts;
    // The last line start <= offset.
    size_t lo = 0, hi = starts.size();
    while (hi - lo > 1) {
      size_t mid = (lo + hi) / 2;
      if (starts[mid] <= offset)
        lo = mid;
      else
        hi = mid;
    }
    uint32_t start = starts.empty() ? 0 : starts[lo];
    return SourceLoc{fileId_, static_cast<uint32_t>(lo + 1),
                     static_cast<uint32_t>(offset - start + 1)};
  }

  [[noreturn]] void fail(size_t begin, size_t end, std::string message) {
    diags_.error(SourceRange(locAt(begin), locAt(end)), std::move(message));
    throw CompilationAborted();
  }
  [[noreturn]] void fail(const Token &t, std::string message) {
    fail(t.begin, t.end, std::move(message));
  }
  /// "expected X" at `t`, saying what was found instead when that is end of input.
  [[noreturn]] void expected(const Token &t, std::string_view what) {
    std::string msg = "expected " + std::string(what);
    if (t.kind == Tok::Eof)
      msg += ", got end of input";
    fail(t, std::move(msg));
  }

  // ---------------------------------------------------------------------------------------
  // Lexing

  void skipTrivia(size_t &p) const {
    while (p < text_.size()) {
      char c = text_[p];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++p;
      } else if (c == '/' && p + 1 < text_.size() && text_[p + 1] == '/') {
        while (p < text_.size() && text_[p] != '\n')
          ++p;
      } else {
        break;
      }
    }
  }

  /// Reads a string literal starting at the '"' at `p`; advances p past the closing quote.
  std::string lexString(size_t &p) {
    size_t begin = p++;
    std::string out;
    for (;;) {
      if (p >= text_.size() || text_[p] == '\n')
        fail(begin, p, "unterminated string literal");
      char c = text_[p++];
      if (c == '"')
        return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (p >= text_.size())
        fail(begin, p, "unterminated string literal");
      char e = text_[p++];
      auto hexValue = [](char h) -> int {
        if (h >= '0' && h <= '9')
          return h - '0';
        if (h >= 'a' && h <= 'f')
          return h - 'a' + 10;
        if (h >= 'A' && h <= 'F')
          return h - 'A' + 10;
        return -1;
      };
      switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case '"':
      case '\\':
        out += e;
        break;
      case 'x': {
        int hi = p < text_.size() ? hexValue(text_[p]) : -1;
        int lo = p + 1 < text_.size() ? hexValue(text_[p + 1]) : -1;
        if (hi < 0 || lo < 0)
          fail(p - 2, p, "invalid \\x escape: expected two hex digits");
        out += static_cast<char>(hi * 16 + lo);
        p += 2;
        break;
      }
      default:
        fail(p - 2, p, std::string("invalid escape sequence '\\") + e + "'");
      }
    }
  }

  Token lexAt(size_t p) {
    skipTrivia(p);
    Token t;
    t.begin = p;
    if (p >= text_.size()) {
      t.kind = Tok::Eof;
      t.end = p;
      return t;
    }
    char c = text_[p];
    auto readWhile = [&](size_t from, auto pred) {
      size_t q = from;
      while (q < text_.size() && pred(text_[q]))
        ++q;
      return q;
    };
    auto sigil = [&](Tok kind, const char *what) {
      size_t q = readWhile(p + 1, isIdentChar);
      if (q == p + 1)
        fail(p, p + 1, std::string("expected ") + what + " after '" + c + "'");
      t.kind = kind;
      t.text = std::string(text_.substr(p + 1, q - p - 1));
      t.end = q;
    };
    if (isIdentStart(c)) {
      size_t q = readWhile(p, isIdentChar);
      t.kind = Tok::Ident;
      t.text = std::string(text_.substr(p, q - p));
      t.end = q;
      return t;
    }
    if (isDigit(c) || (c == '-' && p + 1 < text_.size() && isDigit(text_[p + 1]))) {
      size_t q = readWhile(p + 1, isDigit);
      bool isFloat = false;
      if (q < text_.size() && text_[q] == '.') {
        isFloat = true;
        q = readWhile(q + 1, isDigit);
      }
      if (q < text_.size() && (text_[q] == 'e' || text_[q] == 'E')) {
        size_t r = q + 1;
        if (r < text_.size() && (text_[r] == '+' || text_[r] == '-'))
          ++r;
        if (r < text_.size() && isDigit(text_[r])) {
          isFloat = true;
          q = readWhile(r, isDigit);
        }
      }
      t.kind = isFloat ? Tok::Float : Tok::Int;
      t.text = std::string(text_.substr(p, q - p));
      t.end = q;
      return t;
    }
    switch (c) {
    case '%':
      sigil(Tok::ValueId, "a value name");
      return t;
    case '#':
      sigil(Tok::HashId, "a layout name");
      return t;
    case '@':
      if (p + 1 < text_.size() && text_[p + 1] == '"') {
        size_t q = p + 1;
        t.text = lexString(q);
        t.kind = Tok::AtId;
        t.end = q;
        return t;
      }
      sigil(Tok::AtId, "a kernel name");
      return t;
    case '"': {
      size_t q = p;
      t.text = lexString(q);
      t.kind = Tok::String;
      t.end = q;
      return t;
    }
    default:
      break;
    }
    static const std::pair<char, Tok> kPunct[] = {
        {'^', Tok::Caret},   {'(', Tok::LParen},   {')', Tok::RParen},   {'{', Tok::LBrace},
        {'}', Tok::RBrace},  {'[', Tok::LBracket}, {']', Tok::RBracket}, {'<', Tok::Less},
        {'>', Tok::Greater}, {',', Tok::Comma},    {':', Tok::Colon},    {'=', Tok::Equal},
        {'-', Tok::Minus},
    };
    for (auto [ch, kind] : kPunct)
      if (c == ch) {
        t.kind = kind;
        t.end = p + 1;
        return t;
      }
    unsigned char uc = static_cast<unsigned char>(c);
    if (uc >= 0x20 && uc < 0x7f)
      fail(p, p + 1, std::string("unexpected character '") + c + "'");
    static const char kHex[] = "0123456789abcdef";
    fail(p, p + 1, std::string("unexpected byte 0x") + kHex[uc >> 4] + kHex[uc & 15]);
  }

  const Token &peek() {
    if (!peeked_)
      peeked_ = lexAt(pos_);
    return *peeked_;
  }
  Token next() {
    Token t = peek();
    pos_ = t.end;
    peeked_.reset();
    return t;
  }
  /// The token after `t` (which must start at or after pos_).
  Token after(const Token &t) { return lexAt(t.end); }
  bool consumeIf(Tok kind) {
    if (peek().kind != kind)
      return false;
    next();
    return true;
  }
  Token expect(Tok kind, std::string_view what) {
    if (peek().kind != kind)
      expected(peek(), what);
    return next();
  }
  bool atIdent(std::string_view word) { return peek().kind == Tok::Ident && peek().text == word; }
  void expectKeyword(std::string_view word) {
    if (!atIdent(word))
      expected(peek(), "'" + std::string(word) + "'");
    next();
  }

  /// `NAME =`, the start of a layout field or a parameter attribute.
  void expectField(std::string_view name) {
    expectKeyword(name);
    expect(Tok::Equal, "'='");
  }

  // ---------------------------------------------------------------------------------------
  // Literals

  int64_t intValue(const Token &t) {
    int64_t v = 0;
    auto res = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
    if (res.ec != std::errc() || res.ptr != t.text.data() + t.text.size())
      fail(t, "integer literal out of range");
    return v;
  }
  int64_t parseInt(std::string_view what) { return intValue(expect(Tok::Int, what)); }
  uint32_t parseUnsigned(std::string_view what) {
    Token t = expect(Tok::Int, what);
    int64_t v = intValue(t);
    if (v < 0 || v > std::numeric_limits<uint32_t>::max())
      fail(t, std::string(what) + " out of range");
    return static_cast<uint32_t>(v);
  }

  double floatValue(const Token &t) {
    // strtod rather than from_chars: it accepts subnormals (which the printer can produce)
    // without signalling an error. The text is a validated number token, so it cannot be
    // misread by the locale's decimal point in practice (the driver never calls setlocale).
    char *end = nullptr;
    double v = std::strtod(t.text.c_str(), &end);
    if (end != t.text.c_str() + t.text.size())
      fail(t, "invalid float literal");
    if (std::isinf(v))
      fail(t, "float literal out of range");
    return v;
  }

  std::vector<int64_t> parseIntList() {
    expect(Tok::LBracket, "'['");
    std::vector<int64_t> out;
    if (consumeIf(Tok::RBracket))
      return out;
    for (;;) {
      out.push_back(parseInt("integer"));
      if (consumeIf(Tok::RBracket))
        return out;
      expect(Tok::Comma, "',' or ']'");
    }
  }

  // ---------------------------------------------------------------------------------------
  // Types and layouts

  /// Consumes the name that starts a type (an identifier) or a layout (a #name), checking
  /// `depth`, the nesting of types and layouts in one another.
  Token consumeNestedName(Tok kind, const std::string &what, unsigned depth) {
    Token t = peek();
    if (t.kind != kind)
      expected(t, what);
    if (depth > kMaxTypeDepth)
      fail(t, what + " nested too deeply");
    next();
    return t;
  }

  const Type *parseType(unsigned depth = 0) {
    Token t = consumeNestedName(Tok::Ident, "type", depth);
    if (std::optional<ScalarKind> kind = parseScalarKind(t.text))
      return ctx_.scalar(*kind);
    if (t.text == "ptr") {
      expect(Tok::Less, "'<'");
      Token pt = peek();
      const Type *pointee = parseType(depth + 1);
      if (pointee->isBlock())
        fail(pt.begin, pos_, "pointers cannot point to blocks");
      unsigned addressSpace = 1;
      if (consumeIf(Tok::Comma))
        addressSpace = parseUnsigned("address space");
      expect(Tok::Greater, "'>'");
      return ctx_.pointer(pointee, addressSpace);
    }
    if (t.text == "tensor") {
      expect(Tok::Less, "'<'");
      const size_t dimsBegin = pos_;
      std::vector<int64_t> shape = parseDims();
      int64_t numel = 1;
      for (int64_t d : shape)
        if (__builtin_mul_overflow(numel, d, &numel) || numel > kMaxBlockElements)
          fail(dimsBegin, pos_,
               "block exceeds the limit of " + std::to_string(kMaxBlockElements) + " elements");
      Token et = peek();
      const Type *element = parseType(depth + 1);
      if (element->isBlock())
        fail(et.begin, pos_, "block elements must be scalars or pointers");
      const Layout *layout = nullptr;
      if (consumeIf(Tok::Comma))
        layout = parseLayout(depth + 1);
      expect(Tok::Greater, "'>'");
      return ctx_.block(element, std::move(shape), layout);
    }
    fail(t, "expected type");
  }

  /// `128x64x` in `tensor<128x64xf16>`: read character by character, since `64xf16` is not a
  /// token sequence the lexer could split.
  std::vector<int64_t> parseDims() {
    std::vector<int64_t> shape;
    for (;;) {
      size_t p = pos_;
      skipTrivia(p);
      if (p >= text_.size() || !isDigit(text_[p]))
        return shape;
      size_t begin = p;
      while (p < text_.size() && isDigit(text_[p]))
        ++p;
      int64_t dim = 0;
      auto res = std::from_chars(text_.data() + begin, text_.data() + p, dim);
      if (res.ec != std::errc())
        fail(begin, p, "dimension out of range");
      skipTrivia(p);
      if (p >= text_.size() || text_[p] != 'x')
        fail(p, p + 1, "expected 'x' after a block dimension");
      if (shape.size() >= kMaxBlockRank)
        fail(begin, p, "too many block dimensions");
      shape.push_back(dim);
      pos_ = p + 1;
      peeked_.reset();
    }
  }

  std::vector<unsigned> parseLayoutList(std::string_view field) {
    expectField(field);
    Token start = peek();
    std::vector<int64_t> values = parseIntList();
    std::vector<unsigned> out;
    for (int64_t v : values) {
      if (v < 0 || v > std::numeric_limits<uint32_t>::max())
        fail(start.begin, pos_, "layout value out of range");
      out.push_back(static_cast<unsigned>(v));
    }
    return out;
  }

  static bool isLayoutKind(const std::string &name) {
    return name == "blocked" || name == "slice" || name == "mma" || name == "dot_op" ||
           name == "shared";
  }

  const Layout *parseLayout(unsigned depth = 0) {
    Token t = consumeNestedName(Tok::HashId, "layout", depth);
    bool inlineForm = isLayoutKind(t.text) && peek().kind == Tok::Less;
    if (!inlineForm) {
      auto it = aliases_.find(t.text);
      if (it == aliases_.end())
        fail(t, "undefined layout alias #" + t.text);
      return it->second;
    }
    expect(Tok::Less, "'<'");
    if (t.text == "blocked") {
      std::vector<unsigned> spt = parseLayoutList("spt");
      expect(Tok::Comma, "','");
      std::vector<unsigned> tpw = parseLayoutList("tpw");
      expect(Tok::Comma, "','");
      std::vector<unsigned> wpc = parseLayoutList("wpc");
      expect(Tok::Comma, "','");
      std::vector<unsigned> order = parseLayoutList("order");
      size_t end = pos_;
      expect(Tok::Greater, "'>'");
      if (tpw.size() != spt.size() || wpc.size() != spt.size() || order.size() != spt.size())
        fail(t.begin, end, "blocked layout fields must all have the same length");
      return ctx_.blocked(std::move(spt), std::move(tpw), std::move(wpc), std::move(order));
    }
    if (t.text == "shared") {
      std::vector<unsigned> order = parseLayoutList("order");
      bool wgmma = false;
      if (peek().kind == Tok::Comma) {
        expect(Tok::Comma, "','");
        Token w = peek();
        if (w.kind != Tok::Ident || w.text != "wgmma")
          fail(w, "expected 'wgmma' or '>' after the order of a shared layout");
        next();
        wgmma = true;
      }
      size_t end = pos_;
      expect(Tok::Greater, "'>'");
      if (order.empty())
        fail(t.begin, end, "a shared layout needs an order");
      return ctx_.shared(std::move(order), wgmma);
    }
    if (t.text == "mma") {
      expectField("version");
      Token versionTok = peek();
      uint32_t version = parseUnsigned("mma version");
      expect(Tok::Comma, "','");
      std::vector<unsigned> wpc = parseLayoutList("wpc");
      expect(Tok::Comma, "','");
      Token instrTok = peek();
      std::vector<unsigned> instr = parseLayoutList("instr");
      expect(Tok::Greater, "'>'");
      // 2: mma.sync; 3: wgmma; 10: AMD MFMA, 11 / 12: AMD WMMA on gfx11 / gfx12
      // (layout/WgmmaLayout.h, layout/AmdMatrixLayout.h)
      if (version != 2 && version != 3 && (version < 10 || version > 12))
        fail(versionTok,
             "mma version " + std::to_string(version) + " is not supported (2, 3, 10, 11 or 12)");
      if (wpc.size() < 2 || wpc.size() > 3 || instr.size() != 2)
        fail(instrTok, "an mma layout has 2 or 3 wpc entries and an [M, N] instr shape");
      return ctx_.mma(version, std::move(wpc), std::move(instr));
    }
    if (t.text == "dot_op") {
      expectField("op");
      Token opTok = peek();
      uint32_t opIdx = parseUnsigned("dot operand index");
      expect(Tok::Comma, "','");
      expectField("parent");
      Token parentTok = peek();
      const Layout *parent = parseLayout(depth + 1);
      expect(Tok::Comma, "','");
      expectField("k_width");
      Token kTok = peek();
      uint32_t kWidth = parseUnsigned("k_width");
      expect(Tok::Greater, "'>'");
      if (opIdx > 1)
        fail(opTok, "dot operand index must be 0 or 1");
      if (!parent->isMma())
        fail(parentTok, "the parent of a dot operand layout must be an mma layout");
      // mma.sync: elements per 32-bit register (1, 2, 4); AMD (versions 10-12): elements per
      // lane (MFMA 4 or 8, WMMA 16 on gfx11, 8 on gfx12).
      if (parent->mmaVersion() >= 10) {
        if (kWidth != 4 && kWidth != 8 && kWidth != 16)
          fail(kTok, "k_width of an AMD matrix operand must be 4, 8 or 16");
      } else if (kWidth != 1 && kWidth != 2 && kWidth != 4) {
        fail(kTok, "k_width must be 1, 2 or 4");
      }
      return ctx_.dotOperand(opIdx, parent, kWidth);
    }
    expectField("dim");
    Token dimTok = peek();
    uint32_t dim = parseUnsigned("slice dim");
    expect(Tok::Comma, "','");
    expectField("parent");
    const Layout *parent = parseLayout(depth + 1);
    expect(Tok::Greater, "'>'");
    if (dim >= parent->rank())
      fail(dimTok, "slice dim " + std::to_string(dim) + " out of range for a parent of rank " +
                       std::to_string(parent->rank()));
    return ctx_.slice(dim, parent);
  }

  void parseAliasDefinition() {
    Token name = next();
    if (isLayoutKind(name.text))
      fail(name, "'#" + name.text + "' is a layout kind, not an alias name");
    if (aliases_.count(name.text))
      fail(name, "redefinition of layout alias #" + name.text);
    expect(Tok::Equal, "'='");
    aliases_[name.text] = parseLayout();
  }

  // ---------------------------------------------------------------------------------------
  // Attributes and locations

  AttrValue parseAttrValue() {
    Token t = peek();
    switch (t.kind) {
    case Tok::Int:
      next();
      return intValue(t);
    case Tok::Float:
      next();
      return floatValue(t);
    case Tok::String:
      next();
      return t.text;
    case Tok::LBracket:
      return parseIntList();
    case Tok::Minus: {
      next();
      if (!atIdent("inf"))
        expected(peek(), "number after '-'");
      next();
      return -std::numeric_limits<double>::infinity();
    }
    case Tok::Ident:
      if (t.text == "true" || t.text == "false") {
        next();
        return t.text == "true";
      }
      if (t.text == "inf") {
        next();
        return std::numeric_limits<double>::infinity();
      }
      if (t.text == "nan") {
        next();
        return std::numeric_limits<double>::quiet_NaN();
      }
      if (t.text == "ptr" || t.text == "tensor" || parseScalarKind(t.text))
        return parseType();
      break;
    default:
      break;
    }
    expected(t, "attribute value");
  }

  /// `name` or `"name"`.
  Token parseAttrName() {
    Token t = peek();
    if (t.kind != Tok::Ident && t.kind != Tok::String)
      expected(t, "attribute name");
    return next();
  }

  AttrList parseAttrDict() {
    expect(Tok::LBrace, "'{'");
    AttrList attrs;
    for (;;) {
      Token name = parseAttrName();
      if (attrs.has(name.text))
        fail(name, "duplicate attribute '" + name.text + "'");
      expect(Tok::Equal, "'='");
      attrs.set(name.text, parseAttrValue());
      if (consumeIf(Tok::RBrace))
        return attrs;
      expect(Tok::Comma, "',' or '}'");
    }
  }

  /// An attribute dictionary (rather than a region) starts with `{ name =`.
  bool atAttrDict() {
    if (peek().kind != Tok::LBrace)
      return false;
    Token a = after(peek());
    if (a.kind != Tok::Ident && a.kind != Tok::String)
      return false;
    return after(a).kind == Tok::Equal;
  }

  bool atLoc() { return atIdent("loc") && after(peek()).kind == Tok::LParen; }

  SourceLoc parseLoc() {
    next(); // loc
    expect(Tok::LParen, "'('");
    SourceLoc loc;
    if (atIdent("unknown")) {
      next();
    } else {
      Token file = expect(Tok::String, "file name or 'unknown'");
      expect(Tok::Colon, "':'");
      uint32_t line = parseUnsigned("line number");
      expect(Tok::Colon, "':'");
      uint32_t col = parseUnsigned("column number");
      loc = SourceLoc{fileIdFor(file.text), line, col};
    }
    expect(Tok::RParen, "')'");
    return loc;
  }

  uint32_t fileIdFor(const std::string &path) {
    auto it = fileIds_.find(path);
    if (it != fileIds_.end())
      return it->second;
    uint32_t id = 0;
    for (uint32_t i = 1; i <= sources_.numFiles() && !id; ++i)
      if (sources_.path(i) == path)
        id = i;
    if (!id)
      id = sources_.addFile(path, "");
    fileIds_.emplace(path, id);
    return id;
  }

  // ---------------------------------------------------------------------------------------
  // Values and scopes

  Value *lookupValue(const Token &t) {
    auto it = values_.find(t.text);
    if (it == values_.end())
      fail(t, "use of undefined value %" + t.text);
    return it->second;
  }

  /// Binds a name in the innermost scope and gives the value its name hint.
  void defineValue(const Token &t, Value *v) {
    if (values_.count(t.text))
      fail(t, "redefinition of value %" + t.text);
    values_.emplace(t.text, v);
    scopes_.back().push_back(t.text);
    v->setName(allDigits(t.text) ? std::string() : t.text);
  }

  void pushScope() { scopes_.emplace_back(); }
  void popScope() {
    for (const std::string &name : scopes_.back())
      values_.erase(name);
    scopes_.pop_back();
  }

  /// Whether the tokens from here are `%a, %b, ... =`: the next op's results, not operands of
  /// the op being parsed (which has none then).
  bool atResultList() {
    Token t = peek();
    for (;;) {
      if (t.kind != Tok::ValueId)
        return false;
      t = after(t);
      if (t.kind == Tok::Equal)
        return true;
      if (t.kind != Tok::Comma)
        return false;
      t = after(t);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Kernels, ops and regions

  struct PendingParam {
    Token name;
    const Type *type;
    int64_t divisibility = 1;
    SourceLoc loc;
  };

  void parseKernel() {
    Token kw = next();
    Token name = expect(Tok::AtId, "kernel name '@name'");
    if (module_->lookup(name.text))
      fail(name, "redefinition of kernel @" + name.text);
    expect(Tok::LParen, "'('");
    std::vector<PendingParam> params;
    if (!consumeIf(Tok::RParen)) {
      for (;;) {
        PendingParam p;
        p.name = expect(Tok::ValueId, "parameter name");
        p.loc = locAt(p.name.begin);
        expect(Tok::Colon, "':'");
        p.type = parseType();
        if (consumeIf(Tok::LBrace)) {
          expectField("divisibility");
          p.divisibility = parseInt("integer");
          expect(Tok::RBrace, "'}'");
        }
        if (atLoc())
          p.loc = parseLoc();
        params.push_back(std::move(p));
        if (consumeIf(Tok::RParen))
          break;
        expect(Tok::Comma, "',' or ')'");
      }
    }

    LaunchConfig launch;
    std::vector<ConstexprBinding> constexprs;
    if (atIdent("attributes")) {
      next();
      expect(Tok::LBrace, "'{'");
      std::unordered_set<std::string> seen;
      for (;;) {
        Token key = expect(Tok::Ident, "kernel attribute name");
        if (!seen.insert(key.text).second)
          fail(key, "duplicate kernel attribute '" + key.text + "'");
        expect(Tok::Equal, "'='");
        if (std::optional<LaunchKnob> knob = findLaunchKnob(key.text)) {
          // Checked here, at the value, with the words of every other path (LaunchConfig.h).
          Token t = expect(Tok::Int, key.text);
          int64_t v = intValue(t);
          if (std::string why = checkLaunchKnob(*knob, v); !why.empty())
            fail(t, why);
          launch.set(*knob, static_cast<unsigned>(v));
        } else if (key.text == "constexprs")
          constexprs = parseConstexprs();
        else
          fail(key, "unknown kernel attribute '" + key.text + "'");
        if (consumeIf(Tok::RBrace))
          break;
        expect(Tok::Comma, "',' or '}'");
      }
    }
    SourceLoc loc = atLoc() ? parseLoc() : locAt(kw.begin);

    Function *fn = module_->addFunction(name.text, loc);
    fn->launch() = launch;
    fn->constexprs = std::move(constexprs);

    pushScope();
    for (PendingParam &p : params) {
      std::string hint = allDigits(p.name.text) ? std::string() : p.name.text;
      Value *arg = fn->addParam(p.type, ParamInfo{hint, p.divisibility, p.loc});
      defineValue(p.name, arg);
    }
    Token open = expect(Tok::LBrace, "'{' to begin the kernel body");
    parseOpsUntilBrace(*fn->body(), open);
    popScope();
  }

  std::vector<ConstexprBinding> parseConstexprs() {
    expect(Tok::LBrace, "'{'");
    std::vector<ConstexprBinding> out;
    if (consumeIf(Tok::RBrace))
      return out;
    for (;;) {
      Token name = parseAttrName();
      expect(Tok::Equal, "'='");
      Token value = expect(Tok::String, "constexpr value (a string)");
      out.push_back(ConstexprBinding{name.text, value.text});
      if (consumeIf(Tok::RBrace))
        return out;
      expect(Tok::Comma, "',' or '}'");
    }
  }

  /// Ops up to and including the '}' that closes the block opened by `open`.
  void parseOpsUntilBrace(Block &block, const Token &open) {
    for (;;) {
      const Token &t = peek();
      if (t.kind == Tok::RBrace) {
        next();
        return;
      }
      if (t.kind == Tok::Eof) {
        Diagnostic &d = diags_.error(locAt(t.begin), "expected '}', got end of input");
        d.notes.push_back(DiagnosticNote{locAt(open.begin), "to match this '{'"});
        throw CompilationAborted();
      }
      parseOp(block);
    }
  }

  void parseRegion(Block &block) {
    Token open = next(); // '{'
    if (++depth_ > kMaxRegionDepth)
      fail(open, "regions nested too deeply");
    pushScope();
    if (consumeIf(Tok::Caret)) {
      expect(Tok::LParen, "'('");
      if (!consumeIf(Tok::RParen)) {
        for (;;) {
          Token name = expect(Tok::ValueId, "block argument name");
          expect(Tok::Colon, "':'");
          const Type *type = parseType();
          defineValue(name, block.addArgument(type));
          if (consumeIf(Tok::RParen))
            break;
          expect(Tok::Comma, "',' or ')'");
        }
      }
      expect(Tok::Colon, "':' after the block arguments");
    }
    parseOpsUntilBrace(block, open);
    popScope();
    --depth_;
  }

  void parseOp(Block &block) {
    Token first = peek();
    std::vector<Token> resultNames;
    if (first.kind == Tok::ValueId) {
      for (;;) {
        resultNames.push_back(expect(Tok::ValueId, "result name"));
        if (!consumeIf(Tok::Comma))
          break;
      }
      expect(Tok::Equal, "'='");
    }
    Token mnemonic = peek();
    if (mnemonic.kind != Tok::Ident)
      expected(mnemonic, "op");
    const OpInfo *info = findOp(mnemonic.text);
    if (!info)
      fail(mnemonic, "unknown op '" + mnemonic.text + "'");
    next();
    std::string opName = "'" + mnemonic.text + "'";

    std::vector<Value *> operands;
    if (peek().kind == Tok::ValueId && !atResultList()) {
      for (;;) {
        operands.push_back(lookupValue(next()));
        if (!consumeIf(Tok::Comma))
          break;
        if (peek().kind != Tok::ValueId)
          expected(peek(), "operand");
      }
    }
    AttrList attrs;
    if (atAttrDict())
      attrs = parseAttrDict();
    std::vector<const Type *> types;
    if (consumeIf(Tok::Colon)) {
      for (;;) {
        types.push_back(parseType());
        if (!consumeIf(Tok::Comma))
          break;
      }
    }

    if (types.size() != resultNames.size()) {
      if (types.empty())
        expected(peek(), "':' and the result types");
      fail(mnemonic, opName + " defines " + plural(resultNames.size(), "result") + " but lists " +
                         plural(types.size(), "result type"));
    }
    if (info->numOperands != kVariadic && operands.size() != size_t(info->numOperands))
      fail(mnemonic, opName + " expects " + plural(info->numOperands, "operand") + ", got " +
                         std::to_string(operands.size()));
    if (info->numResults != kVariadic && resultNames.size() != size_t(info->numResults))
      fail(mnemonic, opName + " expects " + plural(info->numResults, "result") + ", got " +
                         std::to_string(resultNames.size()));

    Operation *op =
        block.push_back(Operation::create(info->code, std::move(operands), std::move(types),
                                          std::move(attrs), locAt(first.begin), info->numRegions));
    unsigned numRegions = 0;
    while (peek().kind == Tok::LBrace) {
      if (numRegions == op->numRegions())
        fail(peek(), opName + " expects " + plural(op->numRegions(), "region") + ", got " +
                         std::to_string(numRegions + 1));
      parseRegion(*op->region(numRegions++));
    }
    if (numRegions != op->numRegions())
      fail(mnemonic, opName + " expects " + plural(op->numRegions(), "region") + ", got " +
                         std::to_string(numRegions));
    if (atLoc())
      op->setLoc(parseLoc());
    for (unsigned i = 0; i < resultNames.size(); ++i)
      defineValue(resultNames[i], op->result(i));
  }

  Context &ctx_;
  SourceManager &sources_;
  uint32_t fileId_;
  DiagnosticEngine &diags_;
  const SourceFile &file_;
  std::string_view text_;

  size_t pos_ = 0;
  std::optional<Token> peeked_;
  unsigned depth_ = 0;

  std::unique_ptr<Module> module_;
  std::unordered_map<std::string, const Layout *> aliases_;
  std::unordered_map<std::string, Value *> values_;
  std::vector<std::vector<std::string>> scopes_;
  std::unordered_map<std::string, uint32_t> fileIds_;
};

} // namespace

std::unique_ptr<Module> parseModule(Context &ctx, SourceManager &sources, uint32_t fileId,
                                    DiagnosticEngine &diags) {
  if (fileId == 0 || fileId > sources.numFiles()) {
    diags.error(SourceRange(), "parseModule: no such file id " + std::to_string(fileId));
    return nullptr;
  }
  IRParser parser(ctx, sources, fileId, diags);
  return parser.run();
}

} // namespace tritonc
