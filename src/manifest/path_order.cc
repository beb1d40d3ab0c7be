#include "manifest/path_order.h"

namespace custody {

int ComparePaths(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (true) {
    bool a_done = i >= a.size(), b_done = j >= b.size();
    if (a_done || b_done) return a_done == b_done ? 0 : (a_done ? -1 : 1);
    size_t ai = a.find('/', i), bj = b.find('/', j);
    if (ai == std::string_view::npos) ai = a.size();
    if (bj == std::string_view::npos) bj = b.size();
    int c = a.substr(i, ai - i).compare(b.substr(j, bj - j));
    if (c != 0) return c;
    i = ai + 1;
    j = bj + 1;
  }
}

bool PathIsUnder(std::string_view path, std::string_view prefix) {
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  if (prefix.empty() || prefix == ".") return true;
  if (path.size() < prefix.size() || path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

}  // namespace custody
