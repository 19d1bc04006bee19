package dev.flywheel.core.serving;

import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Makes prediction ids: ULIDs, 26 characters of Crockford base32 holding a 48-bit millisecond
 * timestamp and 80 random bits. They sort by time, which keeps the prediction log's index
 * append-friendly, and they are unique without coordination. The clock and the random source are
 * injected (DESIGN rule 3); share one instance across threads only if the generator is thread-safe.
 */
public final class Ulid {

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final Clock clock;
  private final RandomGenerator random;

  public Ulid(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  public String next() {
    long time = clock.millis();
    char[] out = new char[26];
    // 10 characters of time (50 bits; the top 2 are zero until the year 10889).
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    // 16 characters of randomness: 80 bits.
    long bits = random.nextLong();
    for (int i = 10; i < 26; i++) {
      if (i == 22) {
        bits = random.nextLong(); // 12 characters used 60 bits; refill for the last 4
      }
      out[i] = ALPHABET[(int) (bits & 31)];
      bits >>>= 5;
    }
    return new String(out);
  }
}
