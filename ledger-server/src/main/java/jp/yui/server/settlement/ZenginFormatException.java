package jp.yui.server.settlement;

/**
 * A byte sequence that is not a well-formed 総合振込 file, found by {@link ZenginTransferFile#parse}. The message
 * names the record (counted from 1), the field and its byte offset within the record (from 0), and the value.
 */
public final class ZenginFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int recordNumber;

    ZenginFormatException(int recordNumber, String message) {
        super(recordNumber > 0 ? "record " + recordNumber + ": " + message : message);
        this.recordNumber = recordNumber;
    }

    /** The record the problem is in, counted from 1; 0 when it concerns the file as a whole. */
    public int recordNumber() {
        return recordNumber;
    }
}
