package superconv.training.manifest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Did-you-mean: the valid names closest to a misspelt one, by edit distance. */
final class Suggestions {

  private Suggestions() {}

  /** {@code  (did you mean "x"?)} for the closest valid name when it is close enough, else nothing. */
  static String didYouMean(String given, Collection<String> valid) {
    List<String> closest = closest(given, valid, 1);
    return closest.isEmpty() ? "" : " (did you mean \"" + closest.get(0) + "\"?)";
  }

  /**
   * Up to {@code max} valid names, as close as the closest one, in the order given; none when even that is further
   * than a third of the name's length (1 to 3 edits): a suggestion from further away is a guess.
   */
  static List<String> closest(String given, Collection<String> valid, int max) {
    String lower = given.toLowerCase(Locale.ROOT);
    int limit = Math.min(3, Math.max(1, (given.length() + 2) / 3));
    int best = Integer.MAX_VALUE;
    List<String> closest = new ArrayList<>();
    for (String candidate : valid) {
      int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (d > limit || d > best) {
        continue;
      }
      if (d < best) {
        best = d;
        closest.clear();
      }
      if (closest.size() < max) {
        closest.add(candidate);
      }
    }
    return List.copyOf(closest);
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
