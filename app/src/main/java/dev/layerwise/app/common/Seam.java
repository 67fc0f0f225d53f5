package dev.layerwise.app.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class that is part of a seam between the workbench and what it drives (the engine, the
 * device bridge): such a class may use what the seam hides, everything else in the workbench may
 * not. {@code WorkbenchArchitectureTest} reads it, so an exception to a layering rule is visible
 * where it lives rather than in a list of names in the test.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Seam {

    /** Which seam, and why this class sits on it. */
    String value();
}
