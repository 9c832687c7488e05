package jp.yui.server.seal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.openssl.PEMParser;

/**
 * {@code java -jar ledger-server.jar verify-export --export FILE --public-key KEY.pem [--public-key OLD.pem]
 * [--tsa-cert TSA.pem]}: checks a journal export offline (no database, no network) and prints {@code OK: …} or the
 * first problem. Run from {@code Application.main} before Micronaut starts.
 *
 * <p>Exit codes: {@value #OK} everything verified; {@value #ALTERED} the export was altered or the seals do not hold
 * (the message names the first problem); {@value #USAGE} wrong arguments, a file that cannot be read, a key that is
 * not an Ed25519 public key, or a file that is not an export.
 */
public final class VerifyExportCommand {

    /** The subcommand's name on the command line. */
    public static final String NAME = "verify-export";
    public static final int OK = 0;
    public static final int ALTERED = 1;
    public static final int USAGE = 2;

    static final String HELP = """
            usage: java -jar ledger-server.jar verify-export --export FILE --public-key KEY.pem [options]

            Checks a journal export (GET /regions/{r}/journal/export) offline: every seal's signature with the
            region's public seal key (GET /regions/{r}/seals/public-key), every time-stamp, and every batch hash
            re-computed from the exported transfers. Prints "OK: …" or the first problem.

              --export FILE         the export (JSON lines)
              --public-key KEY.pem  the region's Ed25519 public key (PEM); repeat it if the key changed over the range
              --tsa-cert CERT.pem   the time-stamp authority's certificate to check time-stamps with (default: the
                                    certificate each time-stamp carries, which shows it is intact, not who made it)
              --help                this text

            exit status: 0 verified, 1 altered or not sealed, 2 usage or I/O error""";

    private VerifyExportCommand() {
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code verify-export}
     * @param out  where the verdict goes
     * @param err  where usage and I/O errors go
     * @return the exit code: {@value #OK}, {@value #ALTERED} or {@value #USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path export = null;
        List<Path> keyFiles = new ArrayList<>();
        Path tsaCert = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(HELP);
                return OK;
            }
            if (!arg.equals("--export") && !arg.equals("--public-key") && !arg.equals("--tsa-cert")) {
                return usage(err, "unknown argument: " + arg);
            }
            if (i + 1 >= args.length) {
                return usage(err, arg + " needs a file");
            }
            Path value = Path.of(args[++i]);
            switch (arg) {
                case "--export" -> {
                    if (export != null) {
                        return usage(err, "--export given twice");
                    }
                    export = value;
                }
                case "--public-key" -> keyFiles.add(value);
                default -> {
                    if (tsaCert != null) {
                        return usage(err, "--tsa-cert given twice");
                    }
                    tsaCert = value;
                }
            }
        }
        if (export == null || keyFiles.isEmpty()) {
            return usage(err, export == null ? "--export is required" : "--public-key is required");
        }

        Map<String, Ed25519PublicKeyParameters> keys = new LinkedHashMap<>();
        X509CertificateHolder tsa = null;
        try {
            for (Path file : keyFiles) {
                Ed25519PublicKeyParameters key;
                try {
                    key = Ed25519Keys.readPublic(read(file));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
                }
                keys.put(Ed25519Keys.keyId(key), key);
            }
            if (tsaCert != null) {
                tsa = certificate(tsaCert);
            }
        } catch (IOException | IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            return USAGE;
        }

        ExportVerifier.Verdict verdict;
        try (BufferedReader in = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            verdict = new ExportVerifier(keys, tsa).verify(in, out::println);
        } catch (CharacterCodingException e) {
            out.println("FAILED: " + export + " is not UTF-8 text: it is not an export, or was altered");
            return ALTERED;
        } catch (IOException e) {
            err.println(NAME + ": cannot read " + export + ": " + e);
            return USAGE;
        }
        switch (verdict.outcome()) {
            case OK -> {
                out.println(verdict.message());
                return OK;
            }
            case ALTERED -> {
                out.println("FAILED: " + verdict.message());
                return ALTERED;
            }
            default -> {
                err.println(NAME + ": " + export + " is not a Yui journal export: " + verdict.message());
                return USAGE;
            }
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println(NAME + ": " + problem);
        err.println(HELP);
        return USAGE;
    }

    private static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not a PEM file (it is not ASCII text)");
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e, e);
        }
    }

    private static X509CertificateHolder certificate(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(read(file)))) {
            Object o = parser.readObject();
            if (!(o instanceof X509CertificateHolder cert)) {
                throw new IllegalArgumentException(file + " holds no PEM certificate (BEGIN CERTIFICATE)");
            }
            return cert;
        }
    }
}
