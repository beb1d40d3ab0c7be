#include "iac/resource.h"

#include <algorithm>
#include <array>

#include "iac/loaders.h"

namespace custody::iac {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// `"key"` followed by blanks and a colon, somewhere in JSON text.
bool HasJsonKey(std::string_view text, std::string_view key) {
  std::string quoted = "\"" + std::string(key) + "\"";
  for (size_t at = text.find(quoted); at != std::string_view::npos; at = text.find(quoted, at + 1)) {
    size_t i = at + quoted.size();
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    if (i < text.size() && text[i] == ':') return true;
  }
  return false;
}

// The keys written at the start of a line (the top level of a block
// mapping), unquoted, with what follows the colon.
struct TopKey {
  std::string_view key, rest;
};
std::vector<TopKey> TopLevelKeys(std::string_view text) {
  std::vector<TopKey> keys;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '-') continue;
    std::string_view key;
    size_t after;
    if (line[0] == '"' || line[0] == '\'') {
      size_t close = line.find(line[0], 1);
      if (close == std::string_view::npos) continue;
      key = line.substr(1, close - 1);
      after = close + 1;
    } else {
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      key = line.substr(0, colon);
      while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.remove_suffix(1);
      after = colon;
    }
    while (after < line.size() && (line[after] == ' ' || line[after] == '\t')) ++after;
    if (after >= line.size() || line[after] != ':') continue;
    keys.push_back({key, line.substr(after + 1)});
  }
  return keys;
}

bool LooksLikeJson(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  if (i != std::string_view::npos && text.substr(i, 3) == "\xEF\xBB\xBF") i = text.find_first_not_of(" \t\r\n", i + 3);
  return i != std::string_view::npos && text[i] == '{';
}

}  // namespace

int Resource::LineOf(const std::vector<std::string>& path) const {
  std::vector<std::string> prefix = path;
  while (!prefix.empty()) {
    auto it = key_lines.find(JoinPath(prefix));
    if (it != key_lines.end()) return it->second;
    prefix.pop_back();
  }
  if (properties_line > 0) return properties_line;
  return line;
}

std::string EscapePathSegment(std::string_view key) {
  if (key.find_first_of("/~") == std::string_view::npos) return std::string(key);
  std::string out;
  out.reserve(key.size() + 4);
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string JoinPath(const std::vector<std::string>& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) out.push_back('/');
    out += EscapePathSegment(path[i]);
  }
  return out;
}

std::string DetectFormat(const std::string& path, std::string_view content) {
  std::string name = Lower(BaseName(path));
  if (EndsWith(name, ".tf")) return kTerraform;
  bool yaml = EndsWith(name, ".yaml") || EndsWith(name, ".yml");
  bool json = EndsWith(name, ".json");
  bool template_ext = EndsWith(name, ".template");
  if (yaml && (name == "serverless.yml" || name == "serverless.yaml")) return kServerless;
  if (!yaml && !json && !template_ext) return "";

  if (json || LooksLikeJson(content)) {
    if (HasJsonKey(content, "planned_values") ||
        (HasJsonKey(content, "format_version") && HasJsonKey(content, "terraform_version"))) {
      return kTerraformPlan;
    }
    if (HasJsonKey(content, "AWSTemplateFormatVersion") || HasJsonKey(content, "Resources")) return kCloudFormation;
    if (HasJsonKey(content, "Transform") && content.find("AWS::Serverless") != std::string_view::npos) {
      return kCloudFormation;
    }
    return "";
  }
  bool api_version = false, kind = false;
  for (const TopKey& k : TopLevelKeys(content)) {
    if (k.key == "AWSTemplateFormatVersion" || k.key == "Resources") return kCloudFormation;
    if (k.key == "Transform" && content.find("AWS::Serverless") != std::string_view::npos) return kCloudFormation;
    if (k.key == "apiVersion") api_version = true;
    if (k.key == "kind") kind = true;
  }
  if (api_version && kind) {
    // A Helm chart's templates are Go templates, not YAML, until rendered.
    // ("{{resolve:...}}" is CloudFormation's dynamic reference, not a template.)
    for (size_t at = content.find("{{"); at != std::string_view::npos; at = content.find("{{", at + 2)) {
      if (content.substr(at + 2, 8) != "resolve:") return "";
    }
    return kKubernetes;
  }
  return "";
}

Result<Template> LoadTemplate(const std::string& path, std::string_view content, std::string_view format) {
  if (format == kCloudFormation) return LoadCloudFormation(path, content);
  if (format == kTerraform) return LoadTerraform(path, content);
  if (format == kTerraformPlan) return LoadTerraformPlan(path, content);
  if (format == kKubernetes) return LoadKubernetes(path, content);
  if (format == kServerless) return LoadServerless(path, content);
  return Error::Input(path + ": unknown infrastructure-as-code format '" + std::string(format) +
                      "'; expected one of cloudformation, terraform, terraform-plan, kubernetes, serverless");
}

}  // namespace custody::iac
