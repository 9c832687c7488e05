package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemResponseProcessorTest {

    @Test
    void malformedBodyMessagesLoseTheServersInsides() {
        assertThat(ProblemResponseProcessor.malformed("Failed to convert argument [request] for value [null] due to:"
                + " Error decoding property [List<String E> roles] of type [class jp.yui.server.infra.DemoController"
                + "$TokenRequest]: Unexpected end-of-input: expected close marker for Array (start marker at"
                + " [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 30]"))
                .isEqualTo("Error decoding property [List<String E> roles]: Unexpected end-of-input: expected close"
                        + " marker for Array");
        assertThat(ProblemResponseProcessor.malformed("Failed to convert argument [request] for value [null] due to:"
                + " Cannot deserialize value of type `java.lang.Long` due to: Unable to coerce string to integer \n"
                + " at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1]"))
                .isEqualTo("Cannot deserialize value of type `java.lang.Long` due to: Unable to coerce string to integer");
        assertThat(ProblemResponseProcessor.malformed("Failed to convert argument [id] for value [abc] due to:"
                + " For input string: \"abc\""))
                .isEqualTo("Failed to convert argument [id] for value [abc] due to: For input string: \"abc\"");
        assertThat(ProblemResponseProcessor.malformed("Required Body [request] not specified"))
                .isEqualTo("Required Body [request] not specified");
        assertThat(ProblemResponseProcessor.malformed(null)).isNull();
    }
}
