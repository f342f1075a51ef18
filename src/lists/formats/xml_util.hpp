// pugixml helpers shared by the XML loaders (OFAC sdn.xml, UN consolidated list).
#pragma once

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/common/strings.hpp"
#include "lists/formats/party_builders.hpp"
#include "lists/formats/row_errors.hpp"

namespace clearance::formats {

// The deepest element nesting a list document may have. The official lists nest five or six levels;
// a record of 40,000 nested elements is hostile (it would exhaust the stack of any recursive walk).
inline constexpr int kMaxXmlDepth = 64;

// Parses the whole document; a malformed or truncated document, or one nested deeper than
// kMaxXmlDepth, is kBadInput naming file and line.
inline std::optional<Error> parse_xml(pugi::xml_document& doc, std::string_view contents,
                                      const std::string& path, const LineIndex& lines) {
  if (trim(contents).empty() || trim(contents) == "\xEF\xBB\xBF")
    return Error::BadInput(path + ": file is empty");
  auto res = doc.load_buffer(contents.data(), contents.size(), pugi::parse_default, pugi::encoding_auto);
  if (res) {
    // Depth-first over the tree without recursion: next sibling, else the nearest ancestor's.
    int depth = 0;
    for (pugi::xml_node n = doc.first_child(); n;) {
      if (n.first_child()) {
        n = n.first_child();
        if (++depth > kMaxXmlDepth) {
          auto off = n.offset_debug();
          return Error::BadInput(path + ":" +
                                 std::to_string(lines.line_of(off < 0 ? 0 : static_cast<size_t>(off))) +
                                 ": <" + n.parent().name() + ">: elements nested more than " +
                                 std::to_string(kMaxXmlDepth) + " deep: not a list document");
        }
        continue;
      }
      while (n && !n.next_sibling()) {
        n = n.parent();
        --depth;
      }
      if (n) n = n.next_sibling();
    }
    return std::nullopt;
  }
  size_t offset = res.offset < 0 ? 0 : static_cast<size_t>(res.offset);
  std::string msg =
      path + ":" + std::to_string(lines.line_of(offset)) + ": malformed XML: " + res.description();
  if (offset + 1 >= contents.size() || res.status == pugi::status_end_element_mismatch)
    msg += " (the file may be truncated)";
  return Error::BadInput(msg);
}

inline std::string xml_text(pugi::xml_node n, const char* child) { return clean(n.child_value(child)); }

inline size_t xml_line(pugi::xml_node n, const LineIndex& lines) {
  auto off = n.offset_debug();
  return off < 0 ? 0 : lines.line_of(static_cast<size_t>(off));
}

// The first element under `n` (inclusive) whose text or attributes hold invalid UTF-8.
struct BadUtf8 {
  pugi::xml_node element;
  std::string message;
};
// Walks without recursion (parse_xml caps the depth, but a walk must not depend on it).
inline std::optional<BadUtf8> find_invalid_utf8_in(pugi::xml_node root) {
  std::vector<pugi::xml_node> stack{root};
  while (!stack.empty()) {
    pugi::xml_node n = stack.back();
    stack.pop_back();
    for (auto a : n.attributes()) {
      std::string_view v = a.value();
      if (auto at = invalid_utf8_at(v); at != std::string_view::npos)
        return BadUtf8{n, std::string("attribute ") + a.name() + ": " + invalid_utf8_message(v, at)};
    }
    std::vector<pugi::xml_node> children;
    for (auto c : n.children()) {
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
        std::string_view v = c.value();
        if (auto at = invalid_utf8_at(v); at != std::string_view::npos)
          return BadUtf8{n, invalid_utf8_message(v, at)};
      } else if (c.type() == pugi::node_element) {
        children.push_back(c);
      }
    }
    // Document order: the first child is examined first.
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
  return std::nullopt;
}

}  // namespace clearance::formats
