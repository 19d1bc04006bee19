package dev.flywheel.pipeline.train;

import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.model.TrainingSet;
import java.util.List;

/**
 * Curated data after splitting and feature fitting: what candidates train and are scored on.
 *
 * @param curated every curated row
 * @param train the training rows (raw)
 * @param validation the validation rows (raw)
 * @param test the test rows (raw)
 * @param features the input columns, in signature order
 * @param pipeline the feature pipeline fitted on {@code train}
 * @param trainingSet the transformed training rows
 * @param validationX the transformed validation rows
 * @param validationTruth the validation answers
 * @param testX the transformed test rows
 * @param testTruth the test answers
 * @param classes the class labels, sorted; empty for regression
 * @param positive the positive label of a binary task, else null
 * @param outliers training rows removed as outliers ({@code clean.outliers}); {@code train} is
 *     without them
 * @param folds for {@code split.folds}, the fold of each row of {@code train.concat(validation)}
 *     ({@code dev.flywheel.data.split.KFold}); null without k-fold
 */
public record PreparedData(
    Frame curated,
    Frame train,
    Frame validation,
    Frame test,
    List<String> features,
    FeaturePipeline pipeline,
    TrainingSet trainingSet,
    double[][] validationX,
    Truth validationTruth,
    double[][] testX,
    Truth testTruth,
    List<String> classes,
    String positive,
    int outliers,
    int[] folds) {}
