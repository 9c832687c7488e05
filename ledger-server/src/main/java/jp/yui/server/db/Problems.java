package jp.yui.server.db;

import jp.yui.server.infra.ProblemException;

/** The town's business errors, each with a stable problem type. */
public final class Problems {
    public static final String BASE = "https://yui.jp/problems/";

    private Problems() {
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(404, BASE + "not-found", "Not found", what + " " + id + " does not exist");
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, BASE + "forbidden", "Forbidden", detail);
    }

    public static ProblemException conflict(String type, String title, String detail) {
        return new ProblemException(409, BASE + type, title, detail);
    }

    public static ProblemException unprocessable(String type, String title, String detail) {
        return new ProblemException(422, BASE + type, title, detail);
    }

    /** A query parameter within its bounds, else 400 {@code validation} naming it. */
    public static long requireBetween(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw badRequest("validation", "Invalid request", name + " must be between " + min + " and " + max + ": " + value);
        }
        return value;
    }

    public static ProblemException badRequest(String type, String title, String detail) {
        return new ProblemException(400, BASE + type, title, detail);
    }
}
