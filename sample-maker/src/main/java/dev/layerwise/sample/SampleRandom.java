package dev.layerwise.sample;

import java.util.SplittableRandom;

/**
 * The generator's only source of randomness: {@link SplittableRandom}, whose algorithm is part of
 * its specification, plus a Gaussian computed with {@link StrictMath}, so every JVM draws the same
 * numbers. Not thread-safe.
 */
final class SampleRandom {

    private final SplittableRandom random;

    SampleRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    double uniform() {
        return random.nextDouble();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Standard normal by Box–Muller; one uniform pair per call keeps the sequence simple to reason about. */
    double gaussian() {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }
}
