package dev.headroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request bodies validated as vLLM 0.10.2 validates them: pydantic v2 lax coercions accepted, wrong types
 * rejected with FastAPI's error list as vLLM's message ({@code str(exc.errors())}), SamplingParams' checks after.
 */
class RequestValidationTest {

    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static final int MAX_MODEL_LEN = 256;

    private static GenerationRequest parse(Api api, String body) {
        return GenerationRequest.parse(api, body.getBytes(StandardCharsets.UTF_8), new CharTokenizer(), MAX_MODEL_LEN);
    }

    private static ApiError rejected(Api api, String body) {
        ApiError error = catchThrowableOfType(ApiError.class, () -> parse(api, body));
        assertThat(error).as("400 for %s", body).isNotNull();
        assertThat(error.status).isEqualTo(400);
        return error;
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                chat(",\"max_tokens\":\"ten\"", "[{'type': 'int_parsing', 'loc': ('body', 'max_tokens'), 'msg': "
                        + "'Input should be a valid integer, unable to parse string as an integer', 'input': 'ten'}]"),
                chat(",\"max_tokens\":\"it's\"", "[{'type': 'int_parsing', 'loc': ('body', 'max_tokens'), 'msg': "
                        + "'Input should be a valid integer, unable to parse string as an integer', 'input': \"it's\"}]"),
                chat(",\"max_tokens\":10.5", "[{'type': 'int_from_float', 'loc': ('body', 'max_tokens'), 'msg': "
                        + "'Input should be a valid integer, got a number with a fractional part', 'input': 10.5}]"),
                chat(",\"max_tokens\":\"10.5\"", "[{'type': 'int_parsing', 'loc': ('body', 'max_tokens'), 'msg': "
                        + "'Input should be a valid integer, unable to parse string as an integer', 'input': '10.5'}]"),
                chat(",\"max_completion_tokens\":[5]", "[{'type': 'int_type', 'loc': ('body', "
                        + "'max_completion_tokens'), 'msg': 'Input should be a valid integer', 'input': [5]}]"),
                chat(",\"stream\":\"maybe\"", "[{'type': 'bool_parsing', 'loc': ('body', 'stream'), 'msg': "
                        + "'Input should be a valid boolean, unable to interpret input', 'input': 'maybe'}]"),
                chat(",\"stream\":{}", "[{'type': 'bool_type', 'loc': ('body', 'stream'), 'msg': "
                        + "'Input should be a valid boolean', 'input': {}}]"),
                chat(",\"ignore_eos\":2", "[{'type': 'bool_parsing', 'loc': ('body', 'ignore_eos'), 'msg': "
                        + "'Input should be a valid boolean, unable to interpret input', 'input': 2}]"),
                chat(",\"model\":5", "[{'type': 'string_type', 'loc': ('body', 'model'), 'msg': "
                        + "'Input should be a valid string', 'input': 5}]"),
                chat(",\"temperature\":\"hot\"", "[{'type': 'float_parsing', 'loc': ('body', 'temperature'), 'msg': "
                        + "'Input should be a valid number, unable to parse string as a number', 'input': 'hot'}]"),
                chat(",\"top_p\":[1]", "[{'type': 'float_type', 'loc': ('body', 'top_p'), 'msg': "
                        + "'Input should be a valid number', 'input': [1]}]"),
                chat(",\"min_tokens\":null", "[{'type': 'int_type', 'loc': ('body', 'min_tokens'), 'msg': "
                        + "'Input should be a valid integer', 'input': None}]"),
                chat(",\"seed\":-9223372036854775809", "[{'type': 'greater_than_equal', 'loc': ('body', 'seed'), "
                        + "'msg': 'Input should be greater than or equal to -9223372036854775808', 'input': "
                        + "-9223372036854775809, 'ctx': {'ge': -9223372036854775808}}]"),
                chat(",\"stop\":5", "[{'type': 'string_type', 'loc': ('body', 'stop', 'str'), 'msg': 'Input should be "
                        + "a valid string', 'input': 5}, {'type': 'list_type', 'loc': ('body', 'stop', 'list[str]'), "
                        + "'msg': 'Input should be a valid list', 'input': 5}]"),
                chat(",\"stop\":[\"a\",1]", "[{'type': 'string_type', 'loc': ('body', 'stop', 'str'), 'msg': 'Input "
                        + "should be a valid string', 'input': ['a', 1]}, {'type': 'string_type', 'loc': ('body', "
                        + "'stop', 'list[str]', 1), 'msg': 'Input should be a valid string', 'input': 1}]"),
                chat(",\"stream\":true,\"stream_options\":\"yes\"", "[{'type': 'model_type', 'loc': ('body', "
                        + "'stream_options'), 'msg': 'Input should be a valid dictionary or instance of StreamOptions', "
                        + "'input': 'yes', 'ctx': {'class_name': 'StreamOptions'}}]"),
                chat(",\"stream\":true,\"stream_options\":{\"include_usage\":\"sure\"}", "[{'type': 'bool_parsing', "
                        + "'loc': ('body', 'stream_options', 'include_usage'), 'msg': 'Input should be a valid boolean, "
                        + "unable to interpret input', 'input': 'sure'}]"),
                // every field error at once, in the model's field order (max_tokens is defined before stream)
                chat(",\"stream\":\"x\",\"max_tokens\":\"y\"", "[{'type': 'int_parsing', 'loc': ('body', "
                        + "'max_tokens'), 'msg': 'Input should be a valid integer, unable to parse string as an integer', "
                        + "'input': 'y'}, {'type': 'bool_parsing', 'loc': ('body', 'stream'), 'msg': 'Input should be a "
                        + "valid boolean, unable to interpret input', 'input': 'x'}]"),
                Arguments.of(Api.CHAT, "{\"messages\":\"hi\"}", "[{'type': 'list_type', 'loc': ('body', 'messages'), "
                        + "'msg': 'Input should be a valid list', 'input': 'hi'}]"),
                Arguments.of(Api.CHAT, "{\"model\":\"m\",\"n\":1.0}", "[{'type': 'missing', 'loc': ('body', "
                        + "'messages'), 'msg': 'Field required', 'input': {'model': 'm', 'n': 1.0}}]"),
                Arguments.of(Api.CHAT, "", "[{'type': 'missing', 'loc': ('body',), 'msg': 'Field required', "
                        + "'input': None}]"),
                // a before-validator fails alone, with the raw body as input
                chat(",\"stream_options\":{\"include_usage\":true}", "[{'type': 'value_error', 'loc': ('body',), "
                        + "'msg': 'Value error, Stream options can only be defined when `stream=True`.', 'input': "
                        + "{'messages': [{'role': 'user', 'content': 'hi'}], 'stream_options': {'include_usage': True}}, "
                        + "'ctx': {'error': ValueError('Stream options can only be defined when `stream=True`.')}}]"),
                chat(",\"cache_salt\":\"\",\"max_tokens\":\"x\"", "[{'type': 'value_error', 'loc': ('body',), "
                        + "'msg': \"Value error, Parameter 'cache_salt' must be a non-empty string if provided.\", "
                        + "'input': {'messages': [{'role': 'user', 'content': 'hi'}], 'cache_salt': '', 'max_tokens': "
                        + "'x'}, 'ctx': {'error': ValueError(\"Parameter 'cache_salt' must be a non-empty string if "
                        + "provided.\")}}]"),
                chat(",\"top_logprobs\":2", "[{'type': 'value_error', 'loc': ('body',), 'msg': 'Value error, when "
                        + "using `top_logprobs`, `logprobs` must be set to true.', 'input': {'messages': [{'role': "
                        + "'user', 'content': 'hi'}], 'top_logprobs': 2}, 'ctx': {'error': ValueError('when using "
                        + "`top_logprobs`, `logprobs` must be set to true.')}}]"),
                Arguments.of(Api.COMPLETIONS, "{\"max_tokens\":5}", "[{'type': 'value_error', 'loc': ('body',), "
                        + "'msg': 'Value error, At least one of `prompt` or `prompt_embeds` must be set.', 'input': "
                        + "{'max_tokens': 5}, 'ctx': {'error': ValueError('At least one of `prompt` or `prompt_embeds` "
                        + "must be set.')}}]"),
                Arguments.of(Api.COMPLETIONS, "{\"prompt\":5}", "[{'type': 'list_type', 'loc': ('body', 'prompt', "
                        + "'list[int]'), 'msg': 'Input should be a valid list', 'input': 5}, {'type': 'list_type', "
                        + "'loc': ('body', 'prompt', 'list[list[int]]'), 'msg': 'Input should be a valid list', "
                        + "'input': 5}, {'type': 'string_type', 'loc': ('body', 'prompt', 'str'), 'msg': 'Input should "
                        + "be a valid string', 'input': 5}, {'type': 'list_type', 'loc': ('body', 'prompt', "
                        + "'list[str]'), 'msg': 'Input should be a valid list', 'input': 5}]"),
                Arguments.of(Api.COMPLETIONS, "{\"prompt\":\"a\",\"n\":\"two\"}", "[{'type': 'int_parsing', 'loc': "
                        + "('body', 'n'), 'msg': 'Input should be a valid integer, unable to parse string as an "
                        + "integer', 'input': 'two'}]"));
    }

    private static Arguments chat(String extra, String message) {
        return Arguments.of(Api.CHAT, "{" + HI + extra + "}", message);
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void wrongTypesAreVllmsValidationError(Api api, String body, String message) {
        ApiError error = rejected(api, body);

        assertThat(error.type).isEqualTo("Bad Request");
        assertThat(error.getMessage()).isEqualTo(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"n\":0                      | n must be at least 1, got 0.",
            "\"temperature\":-1           | temperature must be non-negative, got -1.0.",
            "\"top_p\":\"0\"              | top_p must be in (0, 1], got 0.0.",
            "\"max_tokens\":0             | max_tokens must be at least 1, got 0.",
            "\"min_tokens\":-1            | min_tokens must be greater than or equal to 0, got -1.",
            "\"max_tokens\":2,\"min_tokens\":3 | min_tokens must be less than or equal to max_tokens=2, got 3."})
    void samplingParamsChecksFollowValidation(String extra, String message) {
        ApiError error = rejected(Api.CHAT, "{" + HI + "," + extra + "}");

        assertThat(error.type).isEqualTo("BadRequestError");
        assertThat(error.getMessage()).isEqualTo(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"10\"     | 10", "10.0 | 10", "\" 1_0 \" | 10", "\"007\" | 7", "\"12.00\" | 12", "true | 1"})
    void integersAcceptPydanticsLaxForms(String json, int expected) {
        assertThat(parse(Api.CHAT, "{" + HI + ",\"max_tokens\":" + json + "}").maxTokens()).isEqualTo(expected);
        assertThat(parse(Api.CHAT, "{" + HI + ",\"max_completion_tokens\":" + json + "}").maxTokens())
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"yes\" | true", "\"Y\" | true", "\"on\" | true", "\"t\" | true", "\"TRUE\" | true", "\"1\" | true",
            "1 | true", "1.0 | true", "\"no\" | false", "\"Off\" | false", "\"f\" | false", "\"n\" | false",
            "\"0\" | false", "0 | false", "null | false"})
    void booleansAcceptPydanticsLaxForms(String json, boolean expected) {
        assertThat(parse(Api.CHAT, "{" + HI + ",\"stream\":" + json + "}").stream()).isEqualTo(expected);
        assertThat(parse(Api.CHAT, "{" + HI + ",\"ignore_eos\":" + json.replace("null", "0") + "}").ignoreEos())
                .isEqualTo(expected);
    }

    @Test
    void otherLaxFormsAndUnknownFieldsAreAccepted() {
        GenerationRequest r = parse(Api.CHAT, "{" + HI + ",\"temperature\":\"0.5\",\"top_p\":1,\"seed\":\"42\","
                + "\"min_tokens\":\"2\",\"max_tokens\":4,\"stop\":[\"a\"],\"n\":\"1\",\"logprobs\":\"yes\","
                + "\"top_logprobs\":1,\"foo\":{\"bar\":1},\"stream\":true,\"stream_options\":{\"include_usage\":null}}");

        assertThat(r.minTokens()).isEqualTo(2);
        assertThat(r.stream()).isTrue();
        assertThat(r.includeUsage()).isFalse();
        assertThat(parse(Api.CHAT, "{" + HI + ",\"stream\":1,\"stream_options\":{}}").includeUsage()).isTrue();
        // "no" is truthy for the before-validator, then coerced to False: no stream, no usage
        GenerationRequest no = parse(Api.CHAT, "{" + HI + ",\"stream\":\"no\",\"stream_options\":{\"include_usage\":1}}");
        assertThat(no.stream()).isFalse();
        assertThat(no.includeUsage()).isFalse();
    }

    @Test
    void completionPromptsMayBeTextOrTokenIds() {
        assertThat(parse(Api.COMPLETIONS, "{\"prompt\":\"abc\",\"max_tokens\":1}").promptTokenIds()).hasSize(3);
        assertThat(parse(Api.COMPLETIONS, "{\"prompt\":[\"abcd\"],\"max_tokens\":1}").promptTokenIds()).hasSize(4);
        assertThat(parse(Api.COMPLETIONS, "{\"prompt\":[7,8,9],\"max_tokens\":1}").promptTokenIds())
                .containsExactly(7, 8, 9);
        assertThat(parse(Api.COMPLETIONS, "{\"prompt\":[[5,6]],\"max_tokens\":1}").promptTokenIds())
                .containsExactly(5, 6);
        assertThat(rejected(Api.COMPLETIONS, "{\"prompt\":[\"a\",\"b\"]}").getMessage()).startsWith("headroom sim");
    }

    @Test
    void errorsAreVllmsNestedErrorObject() {
        ApiError error = rejected(Api.CHAT, "{\"messages\":\"hi\"}");

        assertThat(error.toJson()).isEqualTo("{\"error\":{\"message\":\"[{'type': 'list_type', 'loc': ('body', "
                + "'messages'), 'msg': 'Input should be a valid list', 'input': 'hi'}]\",\"type\":\"Bad Request\","
                + "\"param\":null,\"code\":400}}");
    }
}
