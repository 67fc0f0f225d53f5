package dev.layerwise.app.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the composition root: {@code App}, which makes the real engine and bridge, and
 * {@code Workbench}, which hands them to the view models it makes and wires.
 * {@code WorkbenchArchitectureTest} lets it reach both seams.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface CompositionRoot {
}
