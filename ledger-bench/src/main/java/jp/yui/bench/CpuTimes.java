package jp.yui.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time (user + system) used by the processes of a scenario, read from Linux's {@code /proc}: the benchmark
 * itself, the server, and PostgreSQL (the postmaster and every backend it started). Where {@code /proc} is not there,
 * every reading is empty.
 */
final class CpuTimes {

    /** Linux reports CPU time in clock ticks of 1/100 s on every architecture the JDK runs on here. */
    private static final double MS_PER_TICK = 10.0;

    private CpuTimes() {}

    /**
     * Milliseconds of CPU used so far: "bench", "server" (if {@code serverPid} > 0), "postgres" (if {@code postmaster}
     * > 0), and for each the part spent in the kernel ("…_kernel": system calls, socket I/O, wake-ups).
     */
    static Map<String, Double> read(long serverPid, long postmaster) {
        Map<String, Double> m = new LinkedHashMap<>();
        Double self = ticks(ProcessHandle.current().pid());
        if (self == null) {
            return m;
        }
        m.put("bench", self * MS_PER_TICK);
        long[] selfStat = stat(ProcessHandle.current().pid());
        if (selfStat != null) {
            // Of which in the kernel (system calls, thread wake-ups), kept apart: not counted again in the totals.
            m.put("bench_kernel", selfStat[3] * MS_PER_TICK);
        }
        if (serverPid > 0) {
            long[] server = stat(serverPid);
            if (server != null) {
                m.put("server", server[1] * MS_PER_TICK);
                m.put("server_kernel", server[3] * MS_PER_TICK);
            }
        }
        if (postmaster > 0) {
            // The postmaster's own time and its reaped children's (backends that exited), then the live backends'.
            long[] own = stat(postmaster);
            double pg = own == null ? 0 : own[1] + own[2];
            double pgKernel = own == null ? 0 : own[3] + own[4];
            // Backends come and go; a backend that exited during the window takes its time with it (the bench's pools
            // and the server's keep theirs open, so that is little).
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    long[] stat = stat(Long.parseLong(name));
                    if (stat != null && stat[0] == postmaster) {
                        pg += stat[1];
                        pgKernel += stat[3];
                    }
                }
            } catch (IOException e) {
                return m;
            }
            m.put("postgres", pg * MS_PER_TICK);
            m.put("postgres_kernel", pgKernel * MS_PER_TICK);
        }
        return m;
    }

    /** The difference of two readings, per unit of work (ms per payment, say), rounded to 0.001. */
    static Map<String, Object> perUnit(Map<String, Double> before, Map<String, Double> after, long units) {
        Map<String, Object> m = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            Double b = before.get(e.getKey());
            if (b == null) {
                continue;
            }
            double ms = e.getValue() - b;
            if (!e.getKey().endsWith("_kernel")) {
                total += ms;
            }
            m.put(e.getKey() + "_cpu_ms", Report.round(ms, 0));
            m.put(e.getKey() + "_cpu_ms_per_unit", units == 0 ? null : Report.round(ms / units, 3));
        }
        m.put("total_cpu_ms_per_unit", units == 0 ? null : Report.round(total / units, 3));
        return m;
    }

    private static Double ticks(long pid) {
        long[] stat = stat(pid);
        return stat == null ? null : (double) stat[1];
    }

    /**
     * The parent pid, utime + stime, cutime + cstime (its reaped children's), stime and cstime of a process in ticks,
     * or null.
     */
    private static long[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name is in parentheses and may hold spaces: the fields after it are space-separated.
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]),
                    Long.parseLong(f[13]) + Long.parseLong(f[14]), Long.parseLong(f[12]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The postmaster's pid of a data directory (first line of postmaster.pid), or 0. */
    static long postmaster(Path dataDirectory) {
        if (dataDirectory == null) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
