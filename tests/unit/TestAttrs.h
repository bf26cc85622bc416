// The attribute-list helper several unit tests share: `attrs({{"axis", 0}, {"vec", 4}})`.
// One definition, because a unity build (CI's sanitized tree) compiles several test files as
// one translation unit, where two file-local copies would clash.
#pragma once

#include "ir/IR.h"

#include <initializer_list>
#include <utility>

namespace tritonc::testing {

inline AttrList attrs(std::initializer_list<std::pair<const char *, AttrValue>> list) {
  AttrList a;
  for (const auto &[name, value] : list)
    a.set(name, value);
  return a;
}

} // namespace tritonc::testing
