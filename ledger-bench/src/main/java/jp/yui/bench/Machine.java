package jp.yui.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the benchmark ran on. */
final class Machine {

    private Machine() {}

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put("memory_mb", memoryMb());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        m.put("jvm_max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("load_average_at_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return m;
    }

    private static String cpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    private static Long memoryMb() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                String kb = line.replaceAll("[^0-9]", "");
                return kb.isEmpty() ? null : Long.parseLong(kb) / 1024;
            }
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / (1024 * 1024);
        }
        return null;
    }

    /** "ext4 on /dev/vda" for the mount holding the path (Linux), else null. */
    /** The machine's CPU time so far from /proc/stat's first line: {busy, all} in ticks; null where there is none. */
    static long[] cpuTicks() {
        List<String> stat = lines(Path.of("/proc/stat"));
        if (stat.isEmpty() || !stat.get(0).startsWith("cpu ")) {
            return null;
        }
        String[] f = stat.get(0).trim().split("\\s+");
        long all = 0;
        long idle = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            long v = Long.parseLong(f[i]);
            all += v;
            if (i == 4 || i == 5) {
                idle += v; // idle, iowait
            }
        }
        return new long[] {all - idle, all};
    }

    /**
     * How busy the machine's CPUs were between two readings (0 to 1), and its cores' worth of CPU time all processes
     * used; the caller compares that with its own processes' to see what other work ran meanwhile.
     */
    static Map<String, Object> busy(long[] before, long[] after) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (before == null || after == null || after[1] <= before[1]) {
            return m;
        }
        m.put("machine_busy_share", Report.round((double) (after[0] - before[0]) / (after[1] - before[1]), 3));
        m.put("machine_cpu_ms", (after[0] - before[0]) * 10L);
        return m;
    }

    static String filesystemOf(Path path) {
        String best = null;
        int bestLength = -1;
        String target = path.toAbsolutePath().normalize().toString();
        for (String line : lines(Path.of("/proc/mounts"))) {
            String[] f = line.split(" ");
            if (f.length < 3) {
                continue;
            }
            String mount = f[1];
            boolean contains = target.equals(mount) || mount.equals("/") || target.startsWith(mount + "/");
            if (contains && mount.length() > bestLength) {
                best = f[2] + " on " + f[0] + " (mounted at " + mount + ")";
                bestLength = mount.length();
            }
        }
        return best;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
