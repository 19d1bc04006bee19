package dev.flywheel.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {

  @Test
  void distanceCountsInsertionsDeletionsAndSubstitutions() {
    assertThat(DidYouMean.distance("max_dept", "max_depth")).isEqualTo(1);
    assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(DidYouMean.distance("", "eta")).isEqualTo(3);
    assertThat(DidYouMean.distance("eta", "eta")).isZero();
  }

  @Test
  void hintsTheNearestNameWithinTwoEditsAndNothingFurther() {
    List<String> known = List.of("rounds", "max_depth", "eta");

    assertThat(DidYouMean.hint("max_dept", known)).isEqualTo(" (did you mean 'max_depth'?)");
    assertThat(DidYouMean.hint("rond", known)).isEqualTo(" (did you mean 'rounds'?)");
    assertThat(DidYouMean.hint("learning_rate", known)).isEmpty();
  }
}
