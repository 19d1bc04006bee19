package dev.flywheel.core.features;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** A number taken from a date or timestamp: one model input each. */
public enum DatePart {
  @JsonProperty("year")
  YEAR,
  @JsonProperty("quarter")
  QUARTER,
  @JsonProperty("month")
  MONTH,
  @JsonProperty("day")
  DAY,
  /** ISO: Monday is 1, Sunday is 7. */
  @JsonProperty("day_of_week")
  DAY_OF_WEEK,
  @JsonProperty("day_of_year")
  DAY_OF_YEAR,
  /** 1 on Saturday and Sunday, else 0. */
  @JsonProperty("is_weekend")
  IS_WEEKEND,
  @JsonProperty("hour")
  HOUR,
  @JsonProperty("minute")
  MINUTE,
  @JsonProperty("second")
  SECOND;

  /** The spec name, such as {@code day_of_week}. */
  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<DatePart> fromSpecName(String name) {
    for (DatePart p : values()) {
      if (p.specName().equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  public double of(LocalDateTime t) {
    return switch (this) {
      case YEAR -> t.getYear();
      case QUARTER -> (t.getMonthValue() - 1) / 3 + 1;
      case MONTH -> t.getMonthValue();
      case DAY -> t.getDayOfMonth();
      case DAY_OF_WEEK -> t.getDayOfWeek().getValue();
      case DAY_OF_YEAR -> t.getDayOfYear();
      case IS_WEEKEND -> t.getDayOfWeek().getValue() >= 6 ? 1 : 0;
      case HOUR -> t.getHour();
      case MINUTE -> t.getMinute();
      case SECOND -> t.getSecond();
    };
  }

  /**
   * Parses ISO-8601 text: a date ({@code 2026-11-26}), a local date-time ({@code 2026-11-26T10:05},
   * seconds and fractions optional, a space allowed for the {@code T}), or one with an offset or
   * {@code Z}, which is converted to UTC. Anything else is null, a missing value.
   */
  public static LocalDateTime parse(String text) {
    if (text == null) {
      return null;
    }
    String s = text.strip();
    // Cheap shape check first: most non-dates fail here, without an exception.
    if (s.length() < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      return null;
    }
    try {
      if (s.length() == 10) {
        return java.time.LocalDate.parse(s).atStartOfDay();
      }
      if (s.charAt(10) == ' ') {
        s = s.substring(0, 10) + 'T' + s.substring(11);
      }
      char last = s.charAt(s.length() - 1);
      boolean zoned =
          last == 'Z' || last == 'z' || s.lastIndexOf('+') > 10 || s.lastIndexOf('-') > 10;
      if (zoned) {
        return java.time.OffsetDateTime.parse(
                s.replace('z', 'Z'), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
            .atZoneSameInstant(java.time.ZoneOffset.UTC)
            .toLocalDateTime();
      }
      return LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
