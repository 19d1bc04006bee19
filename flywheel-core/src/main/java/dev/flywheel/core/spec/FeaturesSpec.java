package dev.flywheel.core.spec;

/**
 * The feature pipeline to fit on the training split.
 *
 * @param numericImpute how missing numbers are filled: {@code median} or {@code mean}
 * @param categoricalImpute how missing categories are filled: {@code most_frequent}
 * @param encode how categories become numbers: {@code one_hot}
 */
public record FeaturesSpec(String numericImpute, String categoricalImpute, String encode) {

  public static final FeaturesSpec DEFAULT = new FeaturesSpec("median", "most_frequent", "one_hot");
}
