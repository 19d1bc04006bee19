package dev.flywheel.core.serving;

import java.util.List;

/**
 * The outcome of recording feedback, as the v1 feedback endpoint returns it.
 *
 * @param accepted labels stored now
 * @param duplicates labels for predictions that already had one (the first label wins)
 * @param unknown prediction ids this model never logged
 */
public record FeedbackResult(int accepted, int duplicates, List<String> unknown) {

  public FeedbackResult {
    unknown = List.copyOf(unknown);
  }
}
