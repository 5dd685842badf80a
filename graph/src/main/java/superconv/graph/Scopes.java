package superconv.graph;

import java.util.HashMap;
import java.util.Map;
import org.tensorflow.op.Ops;

/**
 * Name scopes by path ({@code stage2/block0/conv1}) under one root, each created once.
 *
 * <p>{@link Ops#withSubScope} makes a fresh, uniquified scope on every call ({@code stage1}, {@code stage1_1}, ...),
 * so scopes that several layers share must be created once and reused.
 */
final class Scopes {

  private final Ops root;
  private final Map<String, Ops> byPath = new HashMap<>();

  Scopes(Ops root) {
    this.root = root;
  }

  Ops root() {
    return root;
  }

  /** The scope at {@code path} (parts separated by '/'), creating missing parts once. */
  Ops at(String path) {
    Ops existing = byPath.get(path);
    if (existing != null) {
      return existing;
    }
    int slash = path.lastIndexOf('/');
    Ops parent = slash < 0 ? root : at(path.substring(0, slash));
    Ops scope = parent.withSubScope(path.substring(slash + 1));
    byPath.put(path, scope);
    return scope;
  }
}
