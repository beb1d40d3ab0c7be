// Graph built-ins: graph.reachable and graph.reachable_paths, as OPA has them
// (v1/topdown/reachable.go). A graph is an object from vertex to its
// neighbours, given as an array or a set; a vertex that is not a key of the
// graph has no edges and is not itself "reached".
//
// `walk` belongs to this documentation group too, but it is a relation the
// evaluator runs itself, so it is not registered here.
#include <cstddef>
#include <map>
#include <set>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

constexpr std::string_view kReachable = "graph.reachable";
constexpr std::string_view kReachablePaths = "graph.reachable_paths";

// Path enumeration is exponential in the worst case (a ladder of diamonds);
// OPA has no bound. Work is counted in vertices visited plus vertices copied
// into results, and an evaluation that needs more gets an error instead of
// exhausting memory.
constexpr size_t kMaxPathWork = 2'000'000;

// OPA iterates the edges of a vertex only when they are an array or a set;
// any other value (null, a string, an object) means "no edges".
const ValueVector* Edges(const Value& v) {
  if (v.is_array()) return &v.array();
  if (v.is_set()) return &v.set();
  return nullptr;
}

Result<const ValueVector*> InitialVertices(std::string_view name, std::span<const Value> args) {
  const Value& initial = args[1];
  if (!initial.is_array() && !initial.is_set()) {
    return OperandTypeErrorOneOf(name, 2, initial, {"array", "set"});
  }
  return Edges(initial);
}

Result<Value> Reachable(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* graph, ObjectArg(kReachable, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const ValueVector* initial, InitialVertices(kReachable, args));

  // OPA's queue may hold a vertex many times (it checks "reached" only when
  // a vertex is dequeued), which can grow exponentially in layered graphs.
  // Deduplicating on enqueue reaches exactly the same vertices.
  std::set<Value, ValueLess> seen;
  std::vector<Value> queue;
  for (const Value& v : *initial) {
    if (seen.insert(v).second) queue.push_back(v);
  }
  ValueVector reached;
  for (size_t i = 0; i < queue.size(); ++i) {
    const Value* edges = graph->Find(queue[i]);
    if (edges == nullptr) continue;
    reached.push_back(queue[i]);
    if (const ValueVector* next = Edges(*edges)) {
      for (const Value& n : *next) {
        if (seen.insert(n).second) queue.push_back(n);
      }
    }
  }
  return Value::Set(std::move(reached));
}

// Depth-first enumeration of the paths graph.reachable_paths reports: a path
// ends at a vertex without edges, before a vertex that is not in the graph,
// or before an edge that would close a cycle. Iterative, so a long chain
// cannot overflow the stack.
class PathEnumerator {
 public:
  explicit PathEnumerator(const Value& graph) : graph_(graph) {}

  // Enumerates the paths that begin with the edge start -> first.
  bool Run(const Value& start, const Value& first) {
    path_.assign(1, start);
    on_path_.clear();
    ++on_path_[start];
    if (!Enter(first)) return false;
    while (!stack_.empty()) {
      Frame& top = stack_.back();
      if (top.next == top.edges->size()) {
        Leave();
        continue;
      }
      const Value& neighbour = (*top.edges)[top.next++];
      if (on_path_.count(neighbour) != 0) {
        if (!Emit()) return false;
      } else if (!Enter(neighbour)) {
        return false;
      }
    }
    return true;
  }

  // A start vertex without edges is a path of its own.
  bool RunAlone(const Value& start) {
    path_.assign(1, start);
    return Emit();
  }

  Value TakePaths() { return Value::Set(std::move(paths_)); }

 private:
  struct Frame {
    const ValueVector* edges;
    size_t next;
  };

  // Visits `vertex` as the next vertex of the current path.
  bool Enter(const Value& vertex) {
    if (++work_ > kMaxPathWork) return false;
    const Value* edges = graph_.Find(vertex);
    if (edges == nullptr) return Emit();  // the path ends before `vertex`
    path_.push_back(vertex);
    ++on_path_[vertex];
    const ValueVector* next = Edges(*edges);
    if (next == nullptr || next->empty()) {
      bool ok = Emit();
      Pop();
      return ok;
    }
    stack_.push_back(Frame{next, 0});
    return true;
  }

  void Leave() {
    stack_.pop_back();
    Pop();
  }

  void Pop() {
    auto it = on_path_.find(path_.back());
    if (--it->second == 0) on_path_.erase(it);
    path_.pop_back();
  }

  bool Emit() {
    work_ += path_.size();
    if (work_ > kMaxPathWork) return false;
    paths_.push_back(Value::Array(path_));
    return true;
  }

  const Value& graph_;
  ValueVector path_;
  // Vertices on the current path (the start vertex may appear twice when it
  // has an edge to itself).
  std::map<Value, int, ValueLess> on_path_;
  std::vector<Frame> stack_;
  ValueVector paths_;
  size_t work_ = 0;
};

Result<Value> ReachablePaths(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* graph, ObjectArg(kReachablePaths, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const ValueVector* initial, InitialVertices(kReachablePaths, args));

  PathEnumerator paths(*graph);
  for (const Value& start : *initial) {
    const Value* edges = graph->Find(start);
    if (edges == nullptr) continue;
    const ValueVector* next = Edges(*edges);
    bool ok = true;
    if (next == nullptr || next->empty()) {
      ok = paths.RunAlone(start);
    } else {
      for (const Value& first : *next) {
        if (!(ok = paths.Run(start, first))) break;
      }
    }
    if (!ok) {
      return BuiltinError(kReachablePaths, "graph has too many paths to enumerate (more than " +
                                               std::to_string(kMaxPathWork) + " steps)");
    }
  }
  return paths.TakePaths();
}

}  // namespace

void RegisterGraph(BuiltinTable& t) {
  t.Add({kReachable, 2, Reachable});
  t.Add({kReachablePaths, 2, ReachablePaths});
}

}  // namespace custody::rego
