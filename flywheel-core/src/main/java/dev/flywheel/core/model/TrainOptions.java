package dev.flywheel.core.model;

/**
 * How a trainer may run.
 *
 * @param seed the seed for every random choice the trainer makes
 * @param threads the most threads it may use (1 inside the server, so serving keeps a core)
 */
public record TrainOptions(long seed, int threads) {

  public TrainOptions {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
  }
}
