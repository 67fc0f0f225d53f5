package dev.layerwise.core.engine;

import dev.layerwise.core.io.InputFileException;
import dev.layerwise.core.io.InputFiles;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.config.ConfigException;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A cfg applied to a project: the normal plan, the hybrid plan and what happened to every entry.
 * Immutable.
 *
 * @param normal every layer in the default type
 * @param hybrid the cfg's per-layer types and hand-edited parameters applied
 * @param applied the mapping's details (vendor names, notes)
 */
public record HybridSetup(QuantPlan normal, QuantPlan hybrid, ConfigMapper.Applied applied) {

    /**
     * Reads {@code cfgFile} and builds both plans from {@code calibration}.
     *
     * @throws ConfigException when the cfg is malformed or names unknown layers or dtypes
     */
    public static HybridSetup load(Project project, Path cfgFile, QuantType defaultType, Calibration calibration)
            throws ConfigException {
        return load(project, cfgFile, defaultType, calibration, false);
    }

    /** As {@link #load(Project, Path, QuantType, Calibration)}, weights per channel when {@code perChannel}. */
    public static HybridSetup load(Project project, Path cfgFile, QuantType defaultType, Calibration calibration,
            boolean perChannel) throws ConfigException {
        String text;
        try {
            text = InputFiles.readUtf8(cfgFile, "cfg file", InputFiles.TEXT_LIMIT);
        } catch (InputFileException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        QuantConfig cfg = ConfigFile.parse(text, cfgFile.toString());
        return of(project, cfg, text, cfgFile.toString(), defaultType, calibration, perChannel);
    }

    public static HybridSetup of(Project project, QuantConfig cfg, String text, String name, QuantType defaultType,
            Calibration calibration) throws ConfigException {
        return of(project, cfg, text, name, defaultType, calibration, false);
    }

    public static HybridSetup of(Project project, QuantConfig cfg, String text, String name, QuantType defaultType,
            Calibration calibration, boolean perChannel) throws ConfigException {
        QuantPlan normal = project.plan(calibration, defaultType, Map.of(), Map.of(), perChannel);
        ConfigMapper.Applied applied = ConfigMapper.fromConfig(cfg, project.graph(), normal,
                types -> project.plan(calibration, defaultType, types, Map.of(), perChannel), text, name);
        QuantPlan hybrid = project.plan(calibration, defaultType, applied.overrides(), applied.paramOverrides(), perChannel);
        return new HybridSetup(normal, hybrid, applied);
    }

    /** The hybrid plan as a cfg, with picks under the vendor's names when the cfg used them. */
    public QuantConfig toConfig(Project project, List<String> comments) {
        return ConfigMapper.toConfig(project.graph(), hybrid, comments, applied.vendorNames());
    }
}
