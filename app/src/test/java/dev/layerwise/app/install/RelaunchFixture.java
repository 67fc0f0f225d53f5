package dev.layerwise.app.install;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The main class of the small jar {@link JvmRelaunchTest} builds: decides as {@code Main} does, then
 * says which process it ran in and what it was given. Its first argument stands for the command
 * ({@code analyze} makes an archive); {@code --stdin} echoes standard input, {@code --sleep} waits,
 * {@code --exit N} exits with N.
 */
public final class RelaunchFixture {
    private RelaunchFixture() {
    }

    public static void main(String[] args) throws Exception {
        JvmRelaunch.relaunchIfWanted(args, false);
        List<String> argv = List.of(args);
        System.out.println("pid " + ProcessHandle.current().pid());
        System.out.println("relaunched by " + System.getenv(JvmRelaunch.MARKER_ENV));
        long ownStart = System.currentTimeMillis();
        System.out.println("started earlier by " + (ownStart - JvmRelaunch.firstStartMillis(ownStart)));
        System.out.println("parent cpu " + JvmRelaunch.parentCpuMillis());
        System.out.println("jvm " + String.join(" ", ProcessHandle.current().info().arguments().orElse(new String[0])));
        var hotspot = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        System.out.println("Tier4InvocationThreshold " + hotspot.getVMOption("Tier4InvocationThreshold").getValue());
        for (String a : argv) {
            System.out.println("arg " + a);
        }
        if (argv.contains("--stdin")) {
            System.out.println("stdin " + new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
        System.out.flush();
        if (argv.contains("--sleep")) {
            Thread.sleep(120_000);
        }
        int exit = argv.indexOf("--exit");
        System.exit(exit >= 0 ? Integer.parseInt(argv.get(exit + 1)) : 0);
    }
}
